import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricDataCommand,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import type { Deployment } from '../../contract/deployment';
import { systemClock } from '../clock';
import { Timeline, type TimelineEvent } from '../timeline';

/**
 * Failover and failback through the data-plane traffic switch: a custom metric in the standby
 * region drives an alarm that Route 53 health-checks. These playbooks only read the alarm and put
 * metric data: they need no Route 53 permission and work while the Route 53 control plane is down.
 */

export type Direction = 'failover' | 'failback';

export interface SwitchRequest {
  readonly direction: Direction;
  readonly apply: boolean;
  /** How long to wait for the alarm to confirm the new position. */
  readonly waitSeconds?: number;
}

export interface SwitchDeps {
  /** A CloudWatch client in the standby region (where the switch lives). */
  readonly cloudwatch: CloudWatchClient;
  readonly deployment: Deployment;
  /**
   * Failback only: reasons the primary is not ready to take traffic back (an empty list = ready).
   * See failbackReadiness() in readiness.ts.
   */
  readonly failbackBlockers?: () => Promise<string[]>;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly pollSeconds?: number;
  /** Called at each poll while waiting for the alarm: seconds waited, seconds allowed. */
  readonly onWait?: (waitedSeconds: number, waitSeconds: number) => void;
}

export interface SwitchResult {
  readonly status: 'done' | 'already' | 'planned' | 'refused' | 'failed';
  readonly direction: Direction;
  readonly dryRun: boolean;
  readonly alarm: string;
  readonly before: StateValue | 'MISSING';
  readonly after?: StateValue;
  readonly blockers: string[];
  /** From the metric write to the alarm confirming the new position. */
  readonly secondsToConfirm?: number;
  readonly message: string;
  readonly timeline: TimelineEvent[];
}

/** The alarm state that means "traffic forced to the standby" (ALARM) or not (OK). */
export const WANTED: Record<Direction, StateValue> = { failover: 'ALARM', failback: 'OK' };

interface AlarmView {
  readonly state: StateValue | 'MISSING';
  /** The latest of StateTransitionedTimestamp and StateUpdatedTimestamp, when the alarm has them. */
  readonly changedAt?: Date;
}

async function readAlarm(deps: SwitchDeps): Promise<AlarmView> {
  const out = await deps.cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: [deps.deployment.trafficSwitch.alarmName] }),
  );
  const alarm = out.MetricAlarms?.[0];
  const times = [alarm?.StateTransitionedTimestamp, alarm?.StateUpdatedTimestamp]
    .filter((t): t is Date => t instanceof Date)
    .map((t) => t.getTime());
  return {
    state: alarm?.StateValue ?? 'MISSING',
    ...(times.length > 0 ? { changedAt: new Date(Math.max(...times)) } : {}),
  };
}

/**
 * When a failback may write its `0`, so that the alarm ends OK.
 *
 * The switch alarm judges the Maximum of the switch metric per period (one period, missing data
 * ignored: TRAFFIC_SWITCH_ALARM in lambda/contract/traffic-switch.ts). CloudWatch puts a data
 * point in the period its Timestamp falls in, so a `0` in the same period as the failover's `1`
 * leaves that period's Maximum at 1, the alarm stays in ALARM, and with no later data it never
 * leaves it. The `1` was written before the alarm went to ALARM, so the alarm's last state change
 * bounds its timestamp: if that change is in the current period, the `1` may be too, and the `0`
 * waits for the next period boundary; otherwise it is written now. Without a timestamp to go by,
 * it waits (at most one period).
 *
 * This assumes one evaluation period and clocks that agree within the period (the `1` and the `0`
 * carry the writer's clock, the state change CloudWatch's).
 */
export function failbackWriteTime(now: Date, periodSeconds: number, alarmChangedAt?: Date): Date {
  const period = periodSeconds * 1000;
  const periodStart = Math.floor(now.getTime() / period) * period;
  if (alarmChangedAt !== undefined && alarmChangedAt.getTime() < periodStart) return now;
  return new Date(periodStart + period);
}

function periodOf(deployment: Deployment): number {
  const p = (deployment.trafficSwitch as { periodSeconds?: unknown }).periodSeconds;
  // NaN and Infinity fail `p % 60 !== 0`; a multiple of 60 is an integer.
  if (typeof p !== 'number' || p <= 0 || p % 60 !== 0) {
    throw new Error(
      `deployment.trafficSwitch.periodSeconds: got ${JSON.stringify(p)}, expected a positive multiple of 60 (the switch alarm's period)`,
    );
  }
  return p;
}

export async function flipTrafficSwitch(request: SwitchRequest, deps: SwitchDeps): Promise<SwitchResult> {
  const now = deps.now ?? systemClock.now;
  const sleep = deps.sleep ?? systemClock.sleep;
  const timeline = new Timeline(now);
  const sw = deps.deployment.trafficSwitch;
  const wanted = WANTED[request.direction];
  const base = { direction: request.direction, dryRun: !request.apply, alarm: `${sw.alarmName} (${sw.region})` };

  const alarm = await readAlarm(deps);
  const before = alarm.state;
  timeline.record(`${request.direction} requested`, { alarm: sw.alarmName, state: before, apply: request.apply });
  if (before === 'MISSING') {
    return {
      ...base,
      status: 'failed',
      before,
      blockers: [],
      message: `the traffic switch alarm ${sw.alarmName} does not exist in ${sw.region}: deploy the standby hosting stack first`,
      timeline: timeline.events,
    };
  }
  if (before === wanted) {
    timeline.record('already in position');
    return {
      ...base,
      status: 'already',
      before,
      after: before,
      blockers: [],
      message: `the switch is already in the ${request.direction} position (${wanted}); nothing to do`,
      timeline: timeline.events,
    };
  }

  const blockers = request.direction === 'failback' && deps.failbackBlockers ? await deps.failbackBlockers() : [];
  if (blockers.length > 0) {
    timeline.record('failback refused', { blockers });
    return {
      ...base,
      status: 'refused',
      before,
      blockers,
      message: `failback refused: ${blockers.join('; ')}`,
      timeline: timeline.events,
    };
  }

  const value = request.direction === 'failover' ? 1 : 0;
  // A failback must not land in the period that may hold the failover's 1 (see failbackWriteTime).
  const periodSeconds = request.direction === 'failback' ? periodOf(deps.deployment) : undefined;
  const writeAt = periodSeconds === undefined ? now() : failbackWriteTime(now(), periodSeconds, alarm.changedAt);
  const waitMs = Math.max(0, writeAt.getTime() - now().getTime());
  const waitNote =
    waitMs > 0
      ? `waited ${Math.round(waitMs / 1000)} s for the next ${periodSeconds} s period of the switch alarm before writing: the alarm last changed at ${alarm.changedAt?.toISOString() ?? 'an unknown time'}, so the failover's 1 may have been in the period of the request, where a 0 cannot lower the Maximum`
      : undefined;
  if (!request.apply) {
    return {
      ...base,
      status: 'planned',
      before,
      blockers,
      message: `would ${waitNote ? `wait for the next ${periodSeconds} s period of the switch alarm, then ` : ''}put ${value} to ${sw.namespace} ${sw.metricName} in ${sw.region}, moving the alarm from ${before} to ${wanted}`,
      timeline: timeline.events,
    };
  }

  if (waitNote) {
    timeline.record('waiting for the next period of the switch alarm', {
      seconds: waitMs / 1000,
      until: writeAt.toISOString(),
      alarmChangedAt: alarm.changedAt?.toISOString() ?? null,
      periodSeconds,
    });
    await sleep(waitMs);
  }
  // Never before the boundary, even if a timer fires early: the timestamp picks the period.
  const written = new Date(Math.max(now().getTime(), writeAt.getTime()));
  await deps.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: sw.namespace,
      MetricData: [{ MetricName: sw.metricName, Value: value, Unit: 'Count', Timestamp: written }],
    }),
  );
  timeline.record('switch metric written', { value, timestamp: written.toISOString() });

  const deadline = written.getTime() + (request.waitSeconds ?? 300) * 1000;
  const poll = async () => {
    await sleep((deps.pollSeconds ?? 10) * 1000);
    deps.onWait?.((now().getTime() - written.getTime()) / 1000, request.waitSeconds ?? 300);
    return (await readAlarm(deps)).state;
  };
  let after: StateValue | 'MISSING' = before;
  while (after !== wanted && now().getTime() < deadline) after = await poll();
  const secondsToConfirm = (now().getTime() - written.getTime()) / 1000;
  const waited = waitNote ? `; ${waitNote}` : '';
  if (after !== wanted) {
    timeline.record('not confirmed', { state: after, seconds: secondsToConfirm });
    return {
      ...base,
      status: 'failed',
      before,
      after: after === 'MISSING' ? undefined : after,
      blockers,
      secondsToConfirm,
      message: `the alarm is still ${after} ${Math.round(secondsToConfirm)} s after the write${waited}; check the alarm in ${sw.region} and run again`,
      timeline: timeline.events,
    };
  }
  timeline.record('confirmed', { state: after, seconds: secondsToConfirm });
  return {
    ...base,
    status: 'done',
    before,
    after,
    blockers,
    secondsToConfirm,
    message: `${request.direction} confirmed: the alarm is ${after} ${Math.round(secondsToConfirm)} s after the write${waited}; DNS follows within the health check's detection time and the record TTL`,
    timeline: timeline.events,
  };
}
