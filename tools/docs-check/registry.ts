import type { DocsRule, RuleId } from './rule';
import { accountIds } from './rules/account-ids';
import { alarmDocumented, alarmRunbook } from './rules/alarms';
import { awsCommands } from './rules/aws-commands';
import { cdkCommands } from './rules/cdk-commands';
import { codeLanguage } from './rules/code-language';
import { configLiterals } from './rules/config-literals';
import { drctlCommands } from './rules/drctl-commands';
import { links } from './rules/links';
import { namesInText } from './rules/names-in-text';
import { placeholders } from './rules/placeholders';
import { runbookIndex } from './rules/runbook-index';
import { runbookSections } from './rules/runbook-sections';
import { scenarioClocks } from './rules/scenario-clocks';
import { shellPrompt } from './rules/shell-prompt';

interface RegisteredRule {
  /** The rule ids its findings carry. */
  readonly reports: readonly RuleId[];
  readonly rule: DocsRule;
}

/** The rules of the docs check. Findings are sorted by file and line, so the order here is free. */
export const DOCS_RULES: readonly RegisteredRule[] = [
  { reports: ['runbook-sections'], rule: { eachDoc: runbookSections } },
  { reports: ['runbook-index'], rule: { once: runbookIndex } },
  { reports: ['code-language'], rule: { eachDoc: codeLanguage } },
  { reports: ['shell-prompt'], rule: { eachDoc: shellPrompt } },
  { reports: ['placeholder'], rule: { eachDoc: placeholders } },
  { reports: ['resolve-ids'], rule: { eachDoc: accountIds } },
  {
    reports: ['explicit-environment', 'resolve-ids', 'unknown-name'],
    rule: { eachDoc: awsCommands },
  },
  { reports: ['cli-command', 'explicit-environment', 'resolve-ids'], rule: { eachDoc: drctlCommands } },
  { reports: ['explicit-environment'], rule: { eachDoc: cdkCommands } },
  { reports: ['unknown-name', 'cli-command'], rule: { eachDoc: namesInText } },
  { reports: ['broken-link'], rule: { eachDocInContext: links } },
  { reports: ['alarm-runbook'], rule: { once: alarmRunbook } },
  { reports: ['alarm-documented'], rule: { once: alarmDocumented } },
  { reports: ['config-literal'], rule: { eachDoc: configLiterals } },
  { reports: ['scenario-clock'], rule: { once: scenarioClocks } },
];
