import type { DeploymentFacts } from '../facts';
import type { MarkdownDoc } from '../markdown';
import { type Finding, type RuleId, SHELL } from '../rule';
import { type Invocation, invocations, type LogicalLine, logicalLines, optionValue } from '../shell';

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

export type Report = (rule: RuleId, message: string) => void;

/** Run `check` on every invocation of `tool` in the document's shell blocks. */
export function eachInvocation(
  doc: MarkdownDoc,
  tool: string,
  check: (inv: Invocation, report: Report) => void,
): Finding[] {
  const found: Finding[] = [];
  for (const inv of shellInvocations(doc)) {
    if (inv.tool !== tool) continue;
    check(inv, (rule, message) => found.push({ path: doc.path, line: inv.line, rule, message }));
  }
  return found;
}

const lines = new WeakMap<MarkdownDoc, LogicalLine[]>();
const parsed = new WeakMap<MarkdownDoc, Invocation[]>();

/**
 * The logical lines of the document's shell blocks, in order (continuations joined, comments
 * dropped), tokenized once per document: the rules share them, and the docs check reuses a document
 * across runs while its text is unchanged (check.ts).
 */
export function shellLines(doc: MarkdownDoc): readonly LogicalLine[] {
  let found = lines.get(doc);
  if (!found) {
    found = doc.codeBlocks
      .filter((b) => SHELL.has(b.lang))
      .flatMap((block) => logicalLines(block.lines, block.line + 1));
    lines.set(doc, found);
  }
  return found;
}

/** Every `aws`, `drctl` and `cdk` invocation in the document's shell blocks (parsed once per document). */
function shellInvocations(doc: MarkdownDoc): Invocation[] {
  let found = parsed.get(doc);
  if (!found) {
    found = invocations(shellLines(doc));
    parsed.set(doc, found);
  }
  return found;
}

export function checkRegion(inv: Invocation, facts: DeploymentFacts, report: Report, what: string): string | undefined {
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

export function checkProfile(inv: Invocation, report: Report, what: string): void {
  if (optionValue(inv.args, '--profile') === undefined && optionValue(inv.args, '--endpoint-url') === undefined) {
    report(
      'explicit-environment',
      `${what} does not name its credentials: add --profile (or --endpoint-url for the emulator)`,
    );
  }
}

export function checkResolved(inv: Invocation, report: Report, what: string): void {
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
