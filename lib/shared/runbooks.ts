/**
 * The runbooks that alarms point to. Each name is a file `docs/runbooks/<name>.md`; the docs check
 * (test/tools/docs-check/) fails when an alarm in the synthesized app links to a runbook that does not exist.
 */
export type RunbookName = 'failover' | 'replication-drift' | 'service-degradation' | 'drill';

/** The alarm-description suffix an operator reads on the page: `Runbook: docs/runbooks/<name>.md`. */
export function runbookReference(name: RunbookName): string {
  return `Runbook: docs/runbooks/${name}.md`;
}
