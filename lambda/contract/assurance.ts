/**
 * What the readiness checks, the game-day drill, the dashboard and the alarms on them agree on:
 * metric names, check names and the readiness function's name. Part of the contract between the
 * stacks and the runtime, so no CDK import (lambda/contract/).
 *
 * Extend it (a new check, a new drill metric) rather than restate a name on one side.
 */

/** CloudWatch namespace of the metrics the readiness checks and the drill publish: `<appName>/DR`. */
export function assuranceNamespace(appName: string): string {
  return `${appName}/DR`;
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
