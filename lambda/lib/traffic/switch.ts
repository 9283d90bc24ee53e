import {
  type CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricDataCommand,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import type { Deployment } from '../deployment';
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

async function alarmState(deps: SwitchDeps): Promise<StateValue | 'MISSING'> {
  const out = await deps.cloudwatch.send(
    new DescribeAlarmsCommand({ AlarmNames: [deps.deployment.trafficSwitch.alarmName] }),
  );
  return out.MetricAlarms?.[0]?.StateValue ?? 'MISSING';
}

export async function flipTrafficSwitch(request: SwitchRequest, deps: SwitchDeps): Promise<SwitchResult> {
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeline = new Timeline(now);
  const sw = deps.deployment.trafficSwitch;
  const wanted = WANTED[request.direction];
  const base = { direction: request.direction, dryRun: !request.apply, alarm: `${sw.alarmName} (${sw.region})` };

  const before = await alarmState(deps);
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
  if (!request.apply) {
    return {
      ...base,
      status: 'planned',
      before,
      blockers,
      message: `would put ${value} to ${sw.namespace} ${sw.metricName} in ${sw.region}, moving the alarm from ${before} to ${wanted}`,
      timeline: timeline.events,
    };
  }

  const written = now();
  await deps.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: sw.namespace,
      MetricData: [{ MetricName: sw.metricName, Value: value, Unit: 'Count', Timestamp: written }],
    }),
  );
  timeline.record('switch metric written', { value });

  const deadline = written.getTime() + (request.waitSeconds ?? 300) * 1000;
  let after: StateValue | 'MISSING' = before;
  while (now().getTime() < deadline) {
    await sleep((deps.pollSeconds ?? 10) * 1000);
    deps.onWait?.((now().getTime() - written.getTime()) / 1000, request.waitSeconds ?? 300);
    after = await alarmState(deps);
    if (after === wanted) break;
  }
  const secondsToConfirm = (now().getTime() - written.getTime()) / 1000;
  if (after !== wanted) {
    timeline.record('not confirmed', { state: after, seconds: secondsToConfirm });
    return {
      ...base,
      status: 'failed',
      before,
      after: after === 'MISSING' ? undefined : after,
      blockers,
      secondsToConfirm,
      message: `the alarm is still ${after} ${Math.round(secondsToConfirm)} s after the write; check the alarm in ${sw.region} and run again`,
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
    message: `${request.direction} confirmed: the alarm is ${after} ${Math.round(secondsToConfirm)} s after the write; DNS follows within the health check's detection time and the record TTL`,
    timeline: timeline.events,
  };
}
