import type { StackView } from './assembly';
import {
  failoverRecords,
  isSiteContentBucket,
  type LocatedResource,
  referencedResource,
  resourcesAcross,
} from './template-queries';

/**
 * Worst-case recovery times and recovery points computed from synthesized templates, and their
 * comparison with the declared objectives. Pure functions of the templates: the synth-time check
 * and `drctl posture` call the same code.
 */

/** One additive term of a worst case, with where its number comes from. */
export interface Term {
  readonly label: string;
  readonly seconds: number;
  /** How the number was obtained from the templates, e.g. "3 x (30 s + 6 s)". */
  readonly formula: string;
  /** The AWS documentation the term comes from. */
  readonly source: string;
}

/** A worst case: the sum of its terms. */
export interface Budget {
  readonly name: string;
  readonly terms: readonly Term[];
  readonly worstCaseSeconds: number;
}

export interface Objectives {
  readonly rtoMinutes: number;
  readonly rpoMinutes: number;
}

/** One objective against the budgets that must fit in it. */
export interface Assessment {
  readonly objective: 'RTO' | 'RPO';
  readonly field: string;
  readonly targetMinutes: number;
  readonly budgets: readonly Budget[];
  /** The budgets larger than the target; empty when the target is met. */
  readonly exceeded: readonly Budget[];
}

export const SOURCES = {
  healthChecks:
    'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html',
  propagation: 'https://aws.amazon.com/route53/faqs/',
  aliasTtl:
    'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html',
  alarms: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
  rtc: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html',
  backupSchedule: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html',
} as const;

/** HTTPS health checks: the connection must open within 4 s and the response start within 2 s. */
export const HTTPS_CHECK_TIMEOUT_SECONDS = 4 + 2;
/** Allowance for a health status change to reach every Route 53 name server. */
export const PROPAGATION_SECONDS = 60;
/**
 * TTL of an alias record to an API Gateway regional domain. Alias records take the target's TTL;
 * 60 s is what API Gateway serves (observed, not documented by AWS).
 */
export const API_GATEWAY_ALIAS_TTL_SECONDS = 60;
/** CloudWatch evaluates standard-resolution alarms once a minute. */
export const ALARM_EVALUATION_SECONDS = 60;

/** The budgets cannot be computed: the templates lack something the DR posture needs. */
export class PostureError extends Error {}

function healthCheck(stack: StackView, ref: any): any {
  const hc = referencedResource(stack, ref);
  if (hc?.Type !== 'AWS::Route53::HealthCheck') {
    throw new PostureError(
      `${stack.stackName}: health check ${JSON.stringify(ref)} is not a health check of this stack`,
    );
  }
  return hc.Properties.HealthCheckConfig;
}

function sumBudget(name: string, terms: Term[]): Budget {
  return { name, terms, worstCaseSeconds: terms.reduce((s, t) => s + t.seconds, 0) };
}

function primaryRecord(stacks: readonly StackView[]): LocatedResource {
  const primaries = failoverRecords(stacks, 'PRIMARY');
  if (primaries.length !== 1) {
    throw new PostureError(`expected one failover PRIMARY record in the app, found ${primaries.length}`);
  }
  return primaries[0];
}

function ttlTerm(record: any): Term {
  if (record.AliasTarget) {
    return {
      label: 'DNS TTL (alias to API Gateway)',
      seconds: API_GATEWAY_ALIAS_TTL_SECONDS,
      formula: `${API_GATEWAY_ALIAS_TTL_SECONDS} s, the alias target's TTL`,
      source: SOURCES.aliasTtl,
    };
  }
  const ttl = Number(record.TTL ?? 0);
  return { label: 'DNS TTL', seconds: ttl, formula: `${ttl} s, the record's TTL`, source: SOURCES.aliasTtl };
}

const propagationTerm: Term = {
  label: 'health status reaches Route 53 name servers',
  seconds: PROPAGATION_SECONDS,
  formula: `${PROPAGATION_SECONDS} s allowance`,
  source: SOURCES.propagation,
};

/** The children of the PRIMARY record's health check (itself when it is not CALCULATED). */
function primaryChecks(record: LocatedResource): any[] {
  const top = healthCheck(record.stack, record.resource.Properties.HealthCheckId);
  if (top.Type !== 'CALCULATED') return [top];
  return (top.ChildHealthChecks ?? []).map((child: any) => healthCheck(record.stack, child));
}

/**
 * Worst case from the primary failing to DNS answering with the standby, with nobody acting:
 * the endpoint check fails `FailureThreshold` times in a row (each try waits the interval plus the
 * HTTPS timeouts), the status reaches the name servers, and resolvers drop the cached answer.
 */
export function automaticFailover(stacks: readonly StackView[]): Budget {
  const record = primaryRecord(stacks);
  const endpoint = primaryChecks(record).find((c) => /^HTTPS?(_STR_MATCH)?$/.test(c.Type));
  if (!endpoint) {
    throw new PostureError(
      `${record.stack.stackName}/${record.id}: the PRIMARY record's health check watches no endpoint`,
    );
  }
  const interval = Number(endpoint.RequestInterval ?? 30);
  const threshold = Number(endpoint.FailureThreshold ?? 3);
  const timeout = endpoint.Type.startsWith('HTTPS') ? HTTPS_CHECK_TIMEOUT_SECONDS : 4;
  return sumBudget('automatic failover', [
    {
      label: 'health check detects the failure',
      seconds: threshold * (interval + timeout),
      formula: `${threshold} failures x (${interval} s interval + ${timeout} s timeout)`,
      source: SOURCES.healthChecks,
    },
    propagationTerm,
    ttlTerm(record.resource.Properties),
  ]);
}

/**
 * Worst case from an operator flipping the traffic switch to DNS answering with the standby:
 * the switch alarm sees the data point, the alarm-based health check follows the alarm, the
 * status reaches the name servers, and resolvers drop the cached answer.
 */
export function manualFailover(stacks: readonly StackView[]): Budget {
  const record = primaryRecord(stacks);
  const switchCheck = primaryChecks(record).find((c) => c.Type === 'CLOUDWATCH_METRIC');
  if (!switchCheck) {
    throw new PostureError(
      `${record.stack.stackName}/${record.id}: the PRIMARY record's health check has no alarm-based switch`,
    );
  }
  const { Name: alarmName, Region: alarmRegion } = switchCheck.AlarmIdentifier;
  const alarm = resourcesAcross(stacks, 'AWS::CloudWatch::Alarm').find(
    (a) => a.stack.region === alarmRegion && a.resource.Properties.AlarmName === alarmName,
  );
  if (!alarm) throw new PostureError(`traffic switch alarm "${alarmName}" not found in any stack of ${alarmRegion}`);
  const period = Number(alarm.resource.Properties.Period ?? 60);
  const periods = Number(
    alarm.resource.Properties.DatapointsToAlarm ?? alarm.resource.Properties.EvaluationPeriods ?? 1,
  );
  return sumBudget('manual failover (traffic switch)', [
    {
      label: 'switch alarm reaches ALARM',
      seconds: period * periods + ALARM_EVALUATION_SECONDS,
      formula: `${periods} x ${period} s period + ${ALARM_EVALUATION_SECONDS} s evaluation cadence`,
      source: SOURCES.alarms,
    },
    propagationTerm,
    ttlTerm(record.resource.Properties),
  ]);
}

/** How a replication rule is named in messages: its stack, bucket and rule id (or position). */
function ruleName(bucket: LocatedResource, rule: any, index: number): string {
  return `${bucket.stack.stackName}/${bucket.id} rule ${rule.Id === undefined ? `#${index + 1}` : JSON.stringify(rule.Id)}`;
}

/**
 * Worst case of content written in the primary but missing in the standby when the primary is lost.
 *
 * Only an enabled rule with Replication Time Control bounds anything. S3 replicates an object by
 * every enabled rule whose filter matches it, and by the highest-priority one among rules with the
 * same destination, so an enabled rule without RTC leaves the objects it governs unbounded, and a
 * bucket whose rules are all disabled replicates nothing: either way there is no RTC bound to claim
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html, "Priority").
 */
export function replicationRpo(stacks: readonly StackView[]): Budget {
  const problems: string[] = [];
  const minutes: number[] = [];
  for (const bucket of resourcesAcross(stacks, 'AWS::S3::Bucket').filter((b) => isSiteContentBucket(b.resource))) {
    const rules: any[] = bucket.resource.Properties?.ReplicationConfiguration?.Rules ?? [];
    const enabled = rules.filter((rule) => rule.Status === 'Enabled');
    if (rules.length > 0 && enabled.length === 0) {
      problems.push(`${bucket.stack.stackName}/${bucket.id} replicates nothing: every replication rule is disabled`);
    }
    rules.forEach((rule, index) => {
      if (rule.Status !== 'Enabled') return;
      if (rule.Destination?.ReplicationTime?.Status === 'Enabled') {
        minutes.push(Number(rule.Destination.ReplicationTime.Time.Minutes));
      } else {
        problems.push(
          `${ruleName(bucket, rule, index)} replicates without Replication Time Control: S3 bounds no replication time for its objects`,
        );
      }
    });
  }
  if (problems.length > 0) {
    throw new PostureError(`the RPO of a regional loss is unbounded: ${problems.join('; ')}`);
  }
  if (minutes.length === 0) {
    throw new PostureError(
      'no site-content bucket replicates with Replication Time Control: the RPO of a regional loss is unbounded',
    );
  }
  const worst = Math.max(...minutes);
  return sumBudget('regional loss (replication)', [
    {
      label: 'Replication Time Control threshold',
      seconds: worst * 60,
      formula: `${worst} min (99.99% of objects; S3 does not bound the rest)`,
      source: SOURCES.rtc,
    },
  ]);
}

/** Seconds between two runs of an AWS Backup schedule expression (`cron(...)` or `rate(...)`). */
export function scheduleCadenceSeconds(expression: string): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate) return Number(rate[1]) * { minute: 60, hour: 3600, day: 86400 }[rate[2] as 'minute' | 'hour' | 'day'];
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/.exec(expression);
  if (!cron) throw new PostureError(`cannot read the backup schedule "${expression}"`);
  const [, minute, hour, dayOfMonth, month, dayOfWeek, year] = cron;
  const every = (f: string | undefined) => f === undefined || f === '*' || f === '?';
  // A schedule limited to some months or years (or, when hourly, to some days) waits far longer
  // between its last run in one window and its first in the next: not a cadence this reads.
  if (/^\d+$/.test(minute) && every(month) && every(year) && every(dayOfMonth)) {
    if (every(hour) && every(dayOfWeek)) return 3600;
    if (/^\d+$/.test(hour) && every(dayOfWeek)) return 86400;
    if (/^\d+$/.test(hour) && /^[A-Z0-9]+$/i.test(dayOfWeek)) return 7 * 86400;
  }
  throw new PostureError(`cannot compute the cadence of the backup schedule "${expression}"`);
}

/**
 * Worst case when both copies of the content are lost or corrupted together (a bad write replicated,
 * then the primary region lost): the newest recovery point outside the primary region is the last
 * cross-region backup copy.
 */
export function backupCopyRpo(stacks: readonly StackView[]): Budget {
  const cadences = resourcesAcross(stacks, 'AWS::Backup::BackupPlan').flatMap((p) =>
    // Stryker disable next-line ArrayDeclaration: an element that is not a rule has no CopyActions, so it is filtered out as [] would be
    (p.resource.Properties.BackupPlan.BackupPlanRule ?? [])
      .filter((rule: any) => (rule.CopyActions ?? []).length > 0)
      .map((rule: any) => ({ stack: p.stack.stackName, expression: String(rule.ScheduleExpression) })),
  );
  if (cadences.length === 0) throw new PostureError('no backup plan copies recovery points to another region');
  const worst = cadences
    .map((c) => ({ ...c, seconds: scheduleCadenceSeconds(c.expression) }))
    .reduce((a, b) => (b.seconds > a.seconds ? b : a));
  return sumBudget('both copies lost (cross-region backup copy)', [
    {
      label: 'cross-region copy cadence',
      seconds: worst.seconds,
      formula: `${worst.expression} in ${worst.stack}`,
      source: SOURCES.backupSchedule,
    },
  ]);
}

/**
 * Compare the declared objectives with the budgets they must hold: the RTO with both failover
 * paths, the RPO with a regional loss. The backup-copy RPO is reported, not enforced: it covers a
 * double failure, which the RPO target does not promise.
 */
export function assessObjectives(stacks: readonly StackView[], objectives: Objectives): Assessment[] {
  const assess = (objective: 'RTO' | 'RPO', field: string, targetMinutes: number, budgets: Budget[]): Assessment => ({
    objective,
    field,
    targetMinutes,
    budgets,
    exceeded: budgets.filter((b) => b.worstCaseSeconds > targetMinutes * 60),
  });
  return [
    assess('RTO', 'objectives.rtoMinutes', objectives.rtoMinutes, [automaticFailover(stacks), manualFailover(stacks)]),
    assess('RPO', 'objectives.rpoMinutes', objectives.rpoMinutes, [replicationRpo(stacks)]),
  ];
}

export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const minutes = seconds / 60;
  return minutes < 120 ? `${+minutes.toFixed(1)} min` : `${+(minutes / 60).toFixed(1)} h`;
}

/** One line per exceeded budget: the target, the computed worst case, and its terms. */
export function describeShortfall(a: Assessment): string[] {
  return a.exceeded.map(
    (b) =>
      `${a.field} is ${a.targetMinutes} min, but the worst-case ${b.name} is ${formatSeconds(b.worstCaseSeconds)} = ` +
      b.terms.map((t) => `${t.label} ${t.seconds} s [${t.formula}]`).join(' + '),
  );
}
