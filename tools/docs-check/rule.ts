import type { DrConfig } from '../../lib/config';
import type { DeploymentFacts } from './facts';
import type { MarkdownDoc } from './markdown';

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
  | 'broken-link'
  | 'config-literal'
  | 'scenario-clock';

export interface DocsCheckOptions {
  /** Repository root: docs are read from `<root>/docs` and `<root>/README.md`. */
  readonly root: string;
  readonly facts: DeploymentFacts;
  /** The app's name: `<appName>-...` words in docs must be real names. */
  readonly appName: string;
  /** The config the docs are written for: commands read its domain and search string rather than repeat them. */
  readonly config: Pick<DrConfig, 'domainName' | 'hostedZone' | 'healthCheck' | 'regions'>;
}

/** What every rule sees: the options and every document, by path. */
export interface DocsContext extends DocsCheckOptions {
  readonly docs: ReadonlyMap<string, MarkdownDoc>;
}

/** What a rule of one document sees besides it: the options, but neither the other docs nor the disk. */
export type DocOptions = Pick<DocsCheckOptions, 'facts' | 'appName' | 'config'>;

/**
 * A docs rule, a pure function of what it is given:
 * - `eachDoc` runs once per Markdown file and reads only that file and the options. Its findings
 *   are kept with the (immutable) document and reused by a later check while the options are the
 *   same objects (check.ts): the tests run the check on dozens of copies that each break one file.
 * - `eachDocInContext` runs once per Markdown file and may read the other docs and the disk (links).
 * - `once` runs once per check (rules about the docs as a whole, or about the app's resources).
 */
export type DocsRule =
  | { readonly eachDoc: (doc: MarkdownDoc, opts: DocOptions) => Finding[] }
  | { readonly eachDocInContext: (doc: MarkdownDoc, ctx: DocsContext) => Finding[] }
  | { readonly once: (ctx: DocsContext) => Finding[] };

/** Code block languages whose lines are shell commands. */
export const SHELL = new Set(['bash', 'sh']);

/** A runbook: a Markdown file directly under docs/runbooks/, other than its index. */
export const isRunbook = (p: string) => /^docs\/runbooks\/[^/]+\.md$/.test(p) && !p.endsWith('/README.md');
