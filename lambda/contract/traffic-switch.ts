import { createHash } from 'node:crypto';

/**
 * How the traffic switch alarm judges its metric. One definition, imported by the standby hosting
 * stack (which creates the alarm, lib/hosting/traffic-switch.ts), the global stack (whose
 * alarm-based health check must be replaced when these change) and the playbooks' deployment
 * record (failback waits out the period). Part of the contract between the stacks and the
 * playbooks, so no CDK import.
 *
 * Values are spelled as CloudFormation spells them on AWS::CloudWatch::Alarm.
 */
export interface SwitchAlarmSettings {
  /** Period of the statistic, in seconds (a multiple of 60: Route 53 refuses high-resolution alarms). */
  readonly periodSeconds: number;
  readonly statistic: 'Average' | 'Minimum' | 'Maximum' | 'Sum' | 'SampleCount';
  readonly threshold: number;
  readonly comparisonOperator:
    'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: 'breaching' | 'notBreaching' | 'ignore' | 'missing';
}

/**
 * The switch: the maximum over one minute of the switch metric is at least 1 (an operator wrote
 * 1), in one period out of one; missing data keeps the alarm where it is, so the switch holds
 * between writes (docs/adr/0006-traffic-switch-holds.md). Failback's wait for a period without the
 * failover's 1 (failbackWriteTime in lambda/lib/traffic/switch.ts) assumes one evaluation period.
 * Changing any of these replaces the global stack's switch health check: see ADR 0006's addendum
 * for when that is safe.
 */
export const TRAFFIC_SWITCH_ALARM: SwitchAlarmSettings = {
  periodSeconds: 60,
  statistic: 'Maximum',
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  treatMissingData: 'ignore',
};

/** What Route 53 copies from the alarm when it creates an alarm-based health check. */
export interface SwitchAlarmDefinition {
  readonly namespace: string;
  readonly metricName: string;
  readonly settings: SwitchAlarmSettings;
}

/**
 * Eight hex digits that change whenever anything Route 53 copied from the switch alarm changes.
 *
 * Route 53 copies an alarm's settings (metric, statistic, period, threshold, comparison,
 * evaluation periods) into an alarm-based health check when the check is created or updated, and
 * keeps judging with that copy after the alarm changes
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-updating-cloudwatch-alarm-settings.html).
 * The health check's CloudFormation properties name only the alarm, so CloudFormation sees no
 * change; the global stack puts this fingerprint in the check's logical id, and a change replaces
 * the check (a new check copies the alarm as it is then).
 */
export function switchAlarmFingerprint(definition: SwitchAlarmDefinition): string {
  const s = definition.settings;
  // Fixed key order: the fingerprint must not depend on how an object literal was written.
  const canonical = JSON.stringify([
    definition.namespace,
    definition.metricName,
    s.statistic,
    s.periodSeconds,
    s.threshold,
    s.comparisonOperator,
    s.evaluationPeriods,
    s.datapointsToAlarm,
    s.treatMissingData,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 8).toUpperCase();
}
