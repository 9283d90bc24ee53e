/**
 * The docs check: every Markdown file under docs/ and the README, parsed once, then run through the
 * rules in ./registry.ts (one file per rule under ./rules/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type MarkdownDoc, parseMarkdown } from './markdown';
import { DOCS_RULES } from './registry';
import type { DocsCheckOptions, DocsContext, Finding } from './rule';

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
  const docs = new Map(
    docFiles(opts.root).map((p) => [p, readDoc(p, fs.readFileSync(path.join(opts.root, p), 'utf8'))]),
  );
  const ctx: DocsContext = { ...opts, docs };
  const findings: Finding[] = [];
  for (const { rule } of DOCS_RULES) {
    if ('once' in rule) findings.push(...rule.once(ctx));
    else for (const doc of docs.values()) findings.push(...rule.eachDoc(doc, ctx));
  }
  return findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.rule.localeCompare(b.rule));
}

export function formatFinding(f: Finding): string {
  return `${f.path}:${f.line} [${f.rule}] ${f.message}`;
}

/**
 * Parsed documents by path and text. A full CommonMark + GFM parse of the docs takes about a second
 * (micromark reads ~0.5 MB here); a check run again on mostly unchanged docs (the tests run it on
 * dozens of copies that each break one file) parses only what changed. Documents are immutable.
 */
const parsed = new Map<string, { source: string; doc: MarkdownDoc }>();

function readDoc(docPath: string, source: string): MarkdownDoc {
  const hit = parsed.get(docPath);
  if (hit?.source === source) return hit.doc;
  const doc = parseMarkdown(docPath, source);
  parsed.set(docPath, { source, doc });
  return doc;
}
