/**
 * The runbooks that alarms point to. Each name is a file `docs/runbooks/<name>.md`; the docs check
 * (test/tools/docs-check/) fails when an alarm in the synthesized app links to a runbook that does not exist.
 */
export type RunbookName =
  | 'backup-restore-test'
  | 'certificate-dns-failure'
  | 'drill'
  | 'failover'
  | 'live-release-changed'
  | 'readiness'
  | 'replication-drift'
  | 'service-degradation';

/**
 * The alarm-description suffix an operator reads on the page: `Runbook: <docsBaseUrl>/docs/runbooks/<name>.md`
 * when the config names where the docs are published (`paging.docsBaseUrl`), a link that opens
 * from a phone; `Runbook: docs/runbooks/<name>.md`, the path in the repository, otherwise.
 */
export function runbookReference(name: RunbookName, docsBaseUrl?: string): string {
  const path = `docs/runbooks/${name}.md`;
  if (docsBaseUrl === undefined) return `Runbook: ${path}`;
  return `Runbook: ${docsBaseUrl.replace(/\/+$/, '')}/${path}`;
}
