/**
 * The docs check: every Markdown file under docs/ and the README, parsed once, then run through the
 * rules in ./registry.ts (one file per rule under ./rules/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type MarkdownDoc, parseMarkdown } from './markdown';
import { DOCS_RULES } from './registry';
import type { DocOptions, DocsCheckOptions, DocsContext, Finding } from './rule';

export type { DocsCheckOptions, Finding, RuleId } from './rule';
export { CODE_LANGUAGES } from './rules/code-language';
export { RUNBOOK_SECTIONS } from './rules/runbook-sections';

/** Every Markdown file the check reads, relative to the root. */
export function docFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) files.push(rel);
    }
  };
  if (fs.existsSync(path.join(root, 'docs'))) walk('docs');
  if (fs.existsSync(path.join(root, 'README.md'))) files.push('README.md');
  return files.sort();
}

export function checkDocs(opts: DocsCheckOptions): Finding[] {
  const ctx: DocsContext = { ...opts, docs: loadDocs(opts.root) };
  const findings: Finding[] = [];
  for (const { rule } of DOCS_RULES) {
    if ('once' in rule) findings.push(...rule.once(ctx));
    else if ('eachDocInContext' in rule)
      for (const doc of ctx.docs.values()) findings.push(...rule.eachDocInContext(doc, ctx));
    else for (const doc of ctx.docs.values()) findings.push(...findingsOf(rule.eachDoc, doc, opts));
  }
  return findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.rule.localeCompare(b.rule));
}

type DocRule = (doc: MarkdownDoc, opts: DocOptions) => Finding[];

/** A one-document rule's findings on a document, kept while the options are the same objects. */
const kept = new WeakMap<MarkdownDoc, Map<DocRule, DocOptions & { readonly findings: readonly Finding[] }>>();

/**
 * The findings of a rule that reads only the document and the options (rule.ts, `eachDoc`): the
 * document is immutable and keyed by its text (readDoc), so the same document with the same facts,
 * app name and config has the same findings. The rule is given those three options alone.
 */
function findingsOf(rule: DocRule, doc: MarkdownDoc, { facts, appName, config }: DocOptions): readonly Finding[] {
  let byRule = kept.get(doc);
  if (!byRule) kept.set(doc, (byRule = new Map()));
  const hit = byRule.get(rule);
  if (hit && hit.facts === facts && hit.appName === appName && hit.config === config) return hit.findings;
  const findings = rule(doc, { facts, appName, config }).map((f) => Object.freeze(f));
  byRule.set(rule, { facts, appName, config, findings });
  return findings;
}

/** Every Markdown file under the root, read from disk now and parsed (see readDoc). */
export function loadDocs(root: string): ReadonlyMap<string, MarkdownDoc> {
  return new Map(docFiles(root).map((p) => [p, readDoc(p, fs.readFileSync(path.join(root, p), 'utf8'))]));
}

export function formatFinding(f: Finding): string {
  return `${f.path}:${f.line} [${f.rule}] ${f.message}`;
}

/**
 * Parsed documents by path, then by text. A full CommonMark + GFM parse is slow (micromark takes
 * 0.1-0.3 s for one 35 kB runbook on this two-core machine, a few seconds for all the docs), so a
 * check run again on mostly unchanged docs parses only the files whose text it has not seen: the
 * tests run it on dozens of copies that each break one file and are then restored, and a restored
 * file's text is found again. Every file is still read from disk on each run; the text is the key,
 * so a changed file is always parsed anew. A few versions per path are kept, the least recently
 * used dropped first. The documents are deeply frozen: the rules share them, across runs too, so a
 * rule that tried to change one would throw instead of corrupting the next run.
 */
const parsed = new Map<string, Map<string, MarkdownDoc>>();
const VERSIONS_PER_PATH = 4;

function readDoc(docPath: string, source: string): MarkdownDoc {
  let versions = parsed.get(docPath);
  if (!versions) parsed.set(docPath, (versions = new Map()));
  let doc = versions.get(source);
  if (doc) versions.delete(source);
  else doc = deepFreeze(parseMarkdown(docPath, source));
  versions.set(source, doc);
  if (versions.size > VERSIONS_PER_PATH) versions.delete(versions.keys().next().value!);
  return doc;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
