import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeploymentFacts } from './facts';
import { type MarkdownDoc, parseMarkdown, sections } from './markdown';
import { type Invocation, invocations, logicalLines, optionNames, optionValue, splitWords } from './shell';

/** One problem in the docs, at a line a reader can open. */
export interface Finding {
  readonly path: string;
  readonly line: number;
  readonly rule: RuleId;
  readonly message: string;
}

export type RuleId =
  | 'runbook-sections'
  | 'runbook-index'
  | 'code-language'
  | 'shell-prompt'
  | 'placeholder'
  | 'explicit-environment'
  | 'resolve-ids'
  | 'unknown-name'
  | 'cli-command'
  | 'alarm-runbook'
  | 'alarm-documented'
  | 'broken-link';

/**
 * The mandatory runbook sections, in order, as H2 headings. A heading matches when it starts with
 * the pattern, so "Prerequisites and access" and "Rollback and recovery" both do.
 */
export const RUNBOOK_SECTIONS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: 'Purpose', pattern: /^purpose\b/i },
  { name: 'Scope', pattern: /^scope\b/i },
  { name: 'Prerequisites and access', pattern: /^prereq/i },
  { name: 'Procedure', pattern: /^procedure\b/i },
  { name: 'Validation', pattern: /^validation\b/i },
  { name: 'Rollback and recovery', pattern: /^rollback\b/i },
  { name: 'Failure modes and troubleshooting', pattern: /^failure modes\b/i },
  { name: 'References', pattern: /^references\b/i },
];

export const CODE_LANGUAGES = new Set(['bash', 'sh', 'json', 'text', 'ts', 'typescript', 'yaml', 'mermaid']);
const SHELL = new Set(['bash', 'sh']);

/** Flags whose value is an ID or name that must come from a stack output or variable, never a literal. */
const RESOLVED_FLAGS = [
  '--function-name',
  '--health-check-id',
  '--rest-api-id',
  '--bucket',
  '--source',
  '--replica',
  '--state-machine-arn',
  '--topic-arn',
  '--backup-vault-name',
  '--resource-arn',
  '--hosted-zone-id',
];

/** AWS CLI calls that name no region because there is none to name. */
const REGIONLESS_AWS = new Set(['configure', 'sso']);
/** The stack `cdk bootstrap` creates in each region (default qualifier). */
const CDK_TOOLKIT_STACK = 'CDKToolkit';
/** cdk commands that talk to an AWS account. */
const CDK_ACCOUNT_COMMANDS = new Set(['deploy', 'diff', 'destroy', 'bootstrap', 'import', 'rollback']);

export interface DocsCheckOptions {
  /** Repository root: docs are read from `<root>/docs` and `<root>/README.md`. */
  readonly root: string;
  readonly facts: DeploymentFacts;
  /** The app's name: `<appName>-...` words in docs must be real names. */
  readonly appName: string;
}

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

const isRunbook = (p: string) => /^docs\/runbooks\/[^/]+\.md$/.test(p) && !p.endsWith('/README.md');

export function checkDocs(opts: DocsCheckOptions): Finding[] {
  const docs = docFiles(opts.root).map((p) => parseMarkdown(p, fs.readFileSync(path.join(opts.root, p), 'utf8')));
  const byPath = new Map(docs.map((d) => [d.path, d]));
  const findings: Finding[] = [];
  for (const doc of docs) {
    if (isRunbook(doc.path)) findings.push(...runbookSections(doc));
    findings.push(...codeBlocks(doc), ...placeholders(doc), ...commands(doc, opts), ...namesInText(doc, opts));
    findings.push(...links(doc, byPath, opts.root));
  }
  findings.push(...runbookIndex(byPath), ...alarms(opts, byPath));
  return findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.rule.localeCompare(b.rule));
}

export function formatFinding(f: Finding): string {
  return `${f.path}:${f.line} [${f.rule}] ${f.message}`;
}

function runbookSections(doc: MarkdownDoc): Finding[] {
  const found: Finding[] = [];
  const h2 = sections(doc);
  const at = RUNBOOK_SECTIONS.map((required) => h2.findIndex((s) => required.pattern.test(s.heading.text)));
  RUNBOOK_SECTIONS.forEach((required, i) => {
    if (at[i] < 0) {
      found.push({
        path: doc.path,
        line: 1,
        rule: 'runbook-sections',
        message: `missing the mandatory section "${required.name}"`,
      });
      return;
    }
    const section = h2[at[i]];
    // Out of order: a section that comes after one the format puts later.
    const later = RUNBOOK_SECTIONS.findIndex((_, j) => j > i && at[j] >= 0 && at[j] < at[i]);
    if (later >= 0) {
      found.push({
        path: doc.path,
        line: section.heading.line,
        rule: 'runbook-sections',
        message: `section "${section.heading.text}" is out of order: it must come before "${h2[at[later]].heading.text}" (the format is ${RUNBOOK_SECTIONS.map((s) => s.name).join(', ')})`,
      });
    }
    if (section.contentLines === 0) {
      found.push({
        path: doc.path,
        line: section.heading.line,
        rule: 'runbook-sections',
        message: `section "${section.heading.text}" is empty`,
      });
    }
    if (required.name === 'Validation' && !section.codeBlocks.some((b) => SHELL.has(b.lang))) {
      found.push({
        path: doc.path,
        line: section.heading.line,
        rule: 'runbook-sections',
        message: 'section "Validation" has no command to run: a validation must be a check that can fail',
      });
    }
  });
  return found;
}

function runbookIndex(byPath: ReadonlyMap<string, MarkdownDoc>): Finding[] {
  const index = byPath.get('docs/runbooks/README.md');
  const runbooks = [...byPath.keys()].filter(isRunbook);
  if (!index) {
    return runbooks.length === 0
      ? []
      : [{ path: 'docs/runbooks/README.md', line: 1, rule: 'runbook-index', message: 'the runbooks index is missing' }];
  }
  const linked = new Set(
    index.links.map((l) => path.posix.normalize(path.posix.join('docs/runbooks', l.text.split('#')[0]))),
  );
  return runbooks
    .filter((r) => !linked.has(r))
    .map((r) => ({
      path: index.path,
      line: 1,
      rule: 'runbook-index' as const,
      message: `does not link the runbook ${r}`,
    }));
}

function codeBlocks(doc: MarkdownDoc): Finding[] {
  const found: Finding[] = [];
  for (const block of doc.codeBlocks) {
    if (!block.lang) {
      found.push({ path: doc.path, line: block.line, rule: 'code-language', message: 'code block has no language' });
    } else if (!CODE_LANGUAGES.has(block.lang)) {
      found.push({
        path: doc.path,
        line: block.line,
        rule: 'code-language',
        message: `code block language "${block.lang}" is not one of ${[...CODE_LANGUAGES].join(', ')}`,
      });
    }
    if (!SHELL.has(block.lang)) continue;
    block.lines.forEach((text, i) => {
      // A line continuing the previous one (`... \` then `> file`) is not a new command.
      const continuation = i > 0 && /\\\s*$/.test(block.lines[i - 1]);
      if (!continuation && /^\s*(\$|%|>|PS>)\s/.test(text)) {
        found.push({
          path: doc.path,
          line: block.line + 1 + i,
          rule: 'shell-prompt',
          message: `command has a shell prompt ("${text.trim().slice(0, 40)}"): it breaks copy and paste`,
        });
      }
    });
  }
  return found;
}

const UNMARKED = /\b(TODO|TBD|FIXME|XXX+|CHANGEME|REPLACEME)\b|\byour[-_][a-z]+/gi;

function placeholders(doc: MarkdownDoc): Finding[] {
  const found: Finding[] = [];
  const scan = (text: string, line: number) => {
    for (const m of text.replace(/<[^<>\n]+>/g, '').matchAll(UNMARKED)) {
      found.push({
        path: doc.path,
        line,
        rule: 'placeholder',
        message: `unmarked placeholder "${m[0]}": write it as "<what to put here>", or fill it in`,
      });
    }
  };
  for (const p of doc.prose) scan(p.text, p.line);
  for (const block of doc.codeBlocks) {
    block.lines.forEach((text, i) => {
      const line = block.line + 1 + i;
      scan(text, line);
      if (!SHELL.has(block.lang)) return;
      for (const m of unquoted(stripHeredocs(text)).matchAll(/<[A-Za-z][^<>]*>/g)) {
        found.push({
          path: doc.path,
          line,
          rule: 'placeholder',
          message: `placeholder ${m[0]} is outside quotes: the shell reads it as a redirection; write "${m[0]}" in quotes`,
        });
      }
    });
  }
  return found;
}

function stripHeredocs(text: string): string {
  return text.replace(/<<-?\s*'?[A-Z_]+'?/g, '');
}

/** The line with quoted strings blanked out. */
function unquoted(text: string): string {
  return text.replace(/"[^"]*"|'[^']*'/g, '""');
}

function commands(doc: MarkdownDoc, opts: DocsCheckOptions): Finding[] {
  const found: Finding[] = [];
  for (const block of doc.codeBlocks.filter((b) => SHELL.has(b.lang))) {
    block.lines.forEach((text, i) => {
      if (/(?<!\d)\d{12}(?!\d)/.test(text)) {
        found.push({
          path: doc.path,
          line: block.line + 1 + i,
          rule: 'resolve-ids',
          message:
            'a literal 12-digit account id: read it at run time (from the config or `aws sts get-caller-identity`)',
        });
      }
    });
    for (const inv of invocations(logicalLines(block.lines, block.line + 1))) {
      const report = (rule: RuleId, message: string) => found.push({ path: doc.path, line: inv.line, rule, message });
      if (inv.tool === 'aws') checkAws(inv, opts.facts, report);
      else if (inv.tool === 'drctl') checkDrctl(inv, opts.facts, report);
      else checkCdk(inv, opts.facts, report);
    }
  }
  return found;
}

type Report = (rule: RuleId, message: string) => void;

function checkRegion(inv: Invocation, facts: DeploymentFacts, report: Report, what: string): string | undefined {
  const region = optionValue(inv.args, '--region');
  if (region === undefined) {
    report('explicit-environment', `${what} does not name its region: add --region`);
  } else if (!facts.regions.has(region) && !region.startsWith('$')) {
    report(
      'explicit-environment',
      `${what} uses --region ${region}, which is not a region of this app (${[...facts.regions].join(', ')})`,
    );
  }
  return region;
}

function checkProfile(inv: Invocation, report: Report, what: string): void {
  if (optionValue(inv.args, '--profile') === undefined && optionValue(inv.args, '--endpoint-url') === undefined) {
    report(
      'explicit-environment',
      `${what} does not name its credentials: add --profile (or --endpoint-url for the emulator)`,
    );
  }
}

function checkResolved(inv: Invocation, report: Report, what: string): void {
  for (const flag of RESOLVED_FLAGS) {
    const value = optionValue(inv.args, flag);
    if (value !== undefined && value !== '' && !value.startsWith('$')) {
      report(
        'resolve-ids',
        `${what} ${flag} ${value}: resolve it at run time from a stack output instead of pasting it`,
      );
    }
  }
  for (const word of inv.args) {
    if (/^s3:\/\/[^$]/.test(word)) {
      report('resolve-ids', `${what} ${word}: resolve the bucket from the SiteBucketName stack output`);
    }
  }
}

function checkAws(inv: Invocation, facts: DeploymentFacts, report: Report): void {
  const what = `aws ${inv.command} ${inv.operation}`.trim();
  if (REGIONLESS_AWS.has(inv.command)) return;
  const region = checkRegion(inv, facts, report, what);
  checkProfile(inv, report, what);
  checkResolved(inv, report, what);
  const stack = optionValue(inv.args, '--stack-name');
  if (stack !== undefined && !stack.startsWith('$')) {
    const stackRegion = facts.stacks.get(stack);
    if (stack === CDK_TOOLKIT_STACK) {
      // The bootstrap stack: in every region of the app, owned by the CDK rather than the app.
    } else if (!stackRegion) {
      report('unknown-name', `${what} names the stack ${stack}, which the app does not synthesize`);
    } else if (region && !region.startsWith('$') && region !== stackRegion) {
      report('explicit-environment', `${what} looks for ${stack} in ${region}, but it is deployed in ${stackRegion}`);
    }
  }
  for (const m of inv.text.matchAll(/OutputKey\s*==\s*['`]([^'`$]+)['`]/g)) {
    const candidates = stack && facts.outputs.has(stack) ? [stack] : [...facts.outputs.keys()];
    if (!candidates.some((s) => facts.outputs.get(s)!.has(m[1]))) {
      report('unknown-name', `${what} reads the output ${m[1]}, which ${stack ?? 'no stack'} has`);
    }
  }
  for (const flag of ['--alarm-name', '--alarm-names', '--alarm-name-prefix']) {
    const i = inv.args.indexOf(flag);
    if (i < 0) continue;
    for (let j = i + 1; j < inv.args.length && !inv.args[j].startsWith('--'); j++) {
      const name = inv.args[j];
      const alarm = facts.alarms.get(name);
      const prefixMatch = flag === '--alarm-name-prefix' && [...facts.alarms.keys()].some((a) => a.startsWith(name));
      if (!alarm && !prefixMatch) {
        report('unknown-name', `${what} names the alarm ${name}, which the app does not define`);
      } else if (alarm && region && alarm.region !== region) {
        report(
          'explicit-environment',
          `${what} looks for the alarm ${name} in ${region}, but it lives in ${alarm.region}`,
        );
      }
    }
  }
}

function checkDrctl(inv: Invocation, facts: DeploymentFacts, report: Report): void {
  const options = facts.cliCommands.get(inv.command);
  if (!options) {
    report('cli-command', `drctl has no command "${inv.command}" (it has ${[...facts.cliCommands.keys()].join(', ')})`);
    return;
  }
  for (const option of optionNames(inv.args)) {
    if (!options.has(option)) report('cli-command', `drctl ${inv.command} has no option ${option}`);
  }
  if (inv.command === 'posture' || inv.args.includes('--help')) return;
  if (options.has('--config')) {
    // Commands that act on the deployment take their regions from the config, not --region.
    if (optionValue(inv.args, '--config') === undefined) {
      report('explicit-environment', `drctl ${inv.command} does not name its deployment: add --config`);
    }
  } else {
    checkRegion(inv, facts, report, `drctl ${inv.command}`);
  }
  checkProfile(inv, report, `drctl ${inv.command}`);
  checkResolved(inv, report, `drctl ${inv.command}`);
}

function checkCdk(inv: Invocation, facts: DeploymentFacts, report: Report): void {
  if (!CDK_ACCOUNT_COMMANDS.has(inv.command)) return;
  checkProfile(inv, report, `cdk ${inv.command}`);
  if (inv.command === 'bootstrap') return;
  // Positional stack names look like `<appName>-...`; any other bare word is an option's value
  // (`--fail-on destructive`, `--orphan "$PATH"`), and unknown `<appName>-` words are reported by
  // the names check wherever they appear.
  const stacks = inv.args.slice(1).filter((a) => /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(a) && facts.stacks.has(a));
  if (stacks.length === 0 && !inv.args.includes('--all') && !inv.args.some((a) => a.startsWith('$'))) {
    report(
      'explicit-environment',
      `cdk ${inv.command} names no stack: name the stacks (or --all) so the reader knows what changes`,
    );
  }
}

/** `<appName>-...` words, SSM parameters, output keys, handlers and drctl commands in inline code and code blocks. */
function namesInText(doc: MarkdownDoc, opts: DocsCheckOptions): Finding[] {
  const { facts, appName } = opts;
  const found: Finding[] = [];
  const known = (name: string) => facts.stacks.has(name) || facts.alarms.has(name) || facts.names.has(name);
  const physical = new RegExp(`(?<![\\w/.-])${escape(appName)}-[a-z0-9]+(?:-[a-z0-9]+)*(?![\\w-])`, 'g');
  const parameter = new RegExp(`(?<![\\w/])/${escape(appName)}/[a-z0-9-]+`, 'g');
  const allOutputs = new Set([...facts.outputs.values()].flatMap((s) => [...s]));
  const scan = (text: string, line: number, inline: boolean, lineText = text) => {
    for (const m of text.matchAll(physical)) {
      if (!known(m[0])) {
        found.push({
          path: doc.path,
          line,
          rule: 'unknown-name',
          message: `"${m[0]}" is not a stack, alarm or resource name of the app`,
        });
      }
    }
    for (const m of text.matchAll(parameter)) {
      if (!facts.names.has(m[0])) {
        found.push({
          path: doc.path,
          line,
          rule: 'unknown-name',
          message: `"${m[0]}" is not an SSM parameter of the app`,
        });
      }
    }
    if (!inline) return;
    const word = text.trim();
    // In prose, a word like `SiteBucketName` on a line that speaks of outputs claims to be a stack
    // output; elsewhere it may be an API field (`SubscriptionArn`), which the app cannot vouch for.
    const speaksOfOutputs = /\boutputs?\b/i.test(lineText);
    if (speaksOfOutputs && /^[A-Z][A-Za-z0-9]*(Name|Arn|Id|Url|Target)$/.test(word) && !allOutputs.has(word)) {
      found.push({ path: doc.path, line, rule: 'unknown-name', message: `"${word}" is not a stack output of the app` });
    }
    const fileName = /^index\.(html?|css|js|mjs|cjs|ts|json|md|txt|xml)$/.test(word);
    if (/^index\.[A-Za-z]+$/.test(word) && !fileName && !facts.handlers.has(word)) {
      found.push({
        path: doc.path,
        line,
        rule: 'unknown-name',
        message: `"${word}" is not a Lambda handler of the app`,
      });
    }
    const cli = /^(?:npx\s+)?drctl\s+([a-z][a-z-]*)/.exec(word);
    if (cli && !facts.cliCommands.has(cli[1])) {
      found.push({ path: doc.path, line, rule: 'cli-command', message: `drctl has no command "${cli[1]}"` });
    } else if (cli) {
      // A drctl command quoted in prose is a reference, not a command to paste: its options must
      // exist, but it need not name its environment.
      for (const option of optionNames(splitWords(word))) {
        if (!facts.cliCommands.get(cli[1])!.has(option)) {
          found.push({ path: doc.path, line, rule: 'cli-command', message: `drctl ${cli[1]} has no option ${option}` });
        }
      }
    }
  };
  for (const span of doc.inlineCode) scan(span.text, span.line, true, doc.lines[span.line - 1]);
  for (const block of doc.codeBlocks) block.lines.forEach((text, i) => scan(text, block.line + 1 + i, false));
  return found;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function links(doc: MarkdownDoc, byPath: ReadonlyMap<string, MarkdownDoc>, root: string): Finding[] {
  const found: Finding[] = [];
  for (const link of doc.links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link.text)) continue; // https:, mailto:
    const [file, anchor] = link.text.split('#', 2);
    const target = file === '' ? doc.path : path.posix.normalize(path.posix.join(path.posix.dirname(doc.path), file));
    if (target.startsWith('..') || !fs.existsSync(path.join(root, target))) {
      found.push({
        path: doc.path,
        line: link.line,
        rule: 'broken-link',
        message: `link to ${link.text}: ${target} does not exist`,
      });
      continue;
    }
    if (anchor !== undefined && target.endsWith('.md')) {
      const targetDoc = byPath.get(target);
      if (targetDoc && !targetDoc.headings.some((h) => h.slug === anchor)) {
        found.push({
          path: doc.path,
          line: link.line,
          rule: 'broken-link',
          message: `link to ${link.text}: ${target} has no heading #${anchor}`,
        });
      }
    }
  }
  return found;
}

const OBSERVABILITY = 'docs/observability.md';

function alarms(opts: DocsCheckOptions, byPath: ReadonlyMap<string, MarkdownDoc>): Finding[] {
  const found: Finding[] = [];
  const observability = byPath.get(OBSERVABILITY);
  for (const alarm of opts.facts.allAlarms) {
    const where = `alarm ${alarm.name ?? alarm.logicalId} (${alarm.stack})`;
    if (!alarm.name) {
      found.push({
        path: alarm.stack,
        line: 0,
        rule: 'alarm-documented',
        message: `${where} has no fixed AlarmName, so no runbook can name it`,
      });
    }
    const link = /Runbook:\s*(docs\/runbooks\/[\w.-]+\.md)/i.exec(alarm.description);
    if (!link) {
      found.push({
        path: alarm.stack,
        line: 0,
        rule: 'alarm-runbook',
        message: `${where} has no "Runbook: docs/runbooks/<name>.md" in its description`,
      });
    } else if (!byPath.has(link[1])) {
      found.push({
        path: alarm.stack,
        line: 0,
        rule: 'alarm-runbook',
        message: `${where} links to ${link[1]}, which does not exist`,
      });
    }
    if (alarm.name && !observability?.inlineCode.some((s) => s.text === alarm.name)) {
      found.push({
        path: OBSERVABILITY,
        line: 1,
        rule: 'alarm-documented',
        message: `${where} is not described in ${OBSERVABILITY}`,
      });
    }
  }
  return found;
}
