/**
 * What the readiness checks, the game-day drill, the dashboard and the alarms on them agree on:
 * metric names, check names and the readiness function's name. Part of the contract between the
 * stacks and the runtime, so no CDK import (lambda/contract/).
 *
 * Extend it (a new check, a new drill metric) rather than restate a name on one side.
 */

/**
 * CloudWatch namespace of the metrics the readiness checks and the drill publish:
 * `<appName>/DR-Assurance`. Not the traffic switch's `<appName>/DR`: IAM limits
 * cloudwatch:PutMetricData by namespace only (condition key cloudwatch:namespace, no metric-name
 * key), so a role that may publish readiness results into the switch's namespace could also fail
 * traffic over.
 */
export function assuranceNamespace(appName: string): string {
  return `${appName}/DR-Assurance`;
}

/**
 * The readiness checks, in the order they run and are reported (issue 10, section 3). Each
 * publishes READINESS_METRIC with the dimension `Check` = its name.
 */
export const READINESS_CHECKS = [
  'health-checks',
  'traffic-switch',
  'replication-drift',
  'live-release',
  'certificates',
  'recovery-point',
  'hosting-settings',
] as const;

export type ReadinessCheckName = (typeof READINESS_CHECKS)[number];

/** The outcome of one readiness check. A check that threw or timed out is a failure with the error. */
export interface ReadinessCheckResult {
  readonly check: ReadinessCheckName;
  readonly ok: boolean;
  /** One line for the operator: what was found and, when not ok, what it means. */
  readonly summary: string;
  /** What the check read, for the runbook and a postmortem (JSON-serializable). */
  readonly details: Record<string, unknown>;
}

/**
 * What the readiness Lambda returns and `drctl readiness --json` prints: can the standby take
 * traffic now? `ready` is true when every check passed. The drill reads it as its first step and
 * accepts it only when it parses (readiness-report.ts) and is recent, complete and about its standby.
 */
export interface ReadinessReport {
  readonly ready: boolean;
  /** ISO-8601 UTC instant at which the checks started. */
  readonly checkedAt: string;
  /** The app and the region whose standby was checked: the drill refuses a reply about another. */
  readonly app: string;
  readonly region: string;
  /** One result per check, in READINESS_CHECKS order. */
  readonly checks: readonly ReadinessCheckResult[];
}

/** A certificate with fewer days than this before its NotAfter fails the `certificates` check. */
export const CERTIFICATE_MIN_DAYS = 30;

/** 1 when the check failed or could not run, 0 when it passed; dimension `Check`. */
export const READINESS_METRIC = 'ReadinessCheckFailed';
export const READINESS_CHECK_DIMENSION = 'Check';

/** The drill's measurements, published once per drill (no dimension). */
export const DRILL_METRICS = {
  /** Seconds from the failover write to the site's name serving the live release from the standby. */
  measuredRtoSeconds: 'DrillMeasuredRtoSeconds',
  /** Seconds from the marker object's write in the primary to its arrival in the standby. */
  achievedRpoSeconds: 'DrillAchievedRpoSeconds',
  /** 1 when the drill passed, 0 when it failed. */
  passed: 'DrillPassed',
} as const;

/** The scheduled readiness Lambda in the standby region; the drill invokes it by this name. */
export function readinessFunctionName(appName: string): string {
  return `${appName}-readiness`;
}

/**
 * Environment of the live-release watch Lambda (one per region, lib/recovery/live-release-watch.ts):
 * the ARN of the region's high-urgency paging topic it publishes to, and the runbook line its page
 * ends with. DR rule TopicsAdmitTheirPublishers reads a function's environment for topic ARNs.
 */
export const LIVE_RELEASE_WATCH_ENV = { topicArn: 'DR_PAGE_TOPIC_ARN', runbook: 'DR_PAGE_RUNBOOK' } as const;
