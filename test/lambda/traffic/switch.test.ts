import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricDataCommand,
  type PutMetricDataCommandInput,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import type { Deployment } from '../../../lambda/contract/deployment';
import { systemClock } from '../../../lambda/lib/clock';
import { failbackWriteTime, flipTrafficSwitch } from '../../../lambda/lib/traffic/switch';
import { TRAFFIC_SWITCH_ALARM } from '../../../lambda/contract/traffic-switch';
import { deployment } from '../../support/deployment';

/**
 * A test clock: `sleep` moves it on at once. A playbook that loops without end on it fails fast
 * instead of hanging (a poll loop whose exit is broken must not pass as a slow test).
 */
function clock(start = Date.parse('2026-11-28T10:00:00Z')) {
  let t = start;
  let sleeps = 0;
  const sleep = async (ms: number) => {
    if (++sleeps > 100) throw new Error('slept 100 times: the poll loop does not end');
    t += ms;
  };
  return { now: () => new Date(t), sleep };
}

// Every test but those of the system clock gives the switch its own clock: the switch must use it,
// never the time of day nor a real wait (which would poll back to back, or hang).
let systemClockGuard: jest.SpyInstance[] = [];
beforeEach(() => {
  systemClockGuard = [
    jest.spyOn(systemClock, 'now').mockImplementation(() => {
      throw new Error('the system clock was read although the test gave the switch its own');
    }),
    jest.spyOn(systemClock, 'sleep').mockImplementation(() => {
      throw new Error('a real wait although the test gave the switch its own sleep');
    }),
  ];
});
afterEach(() => {
  for (const spy of systemClockGuard) spy.mockRestore();
  jest.useRealTimers();
});

function cloudwatch(states: string[]) {
  const client = new CloudWatchClient({ region: 'us-west-2' });
  const mock = mockClient(client);
  const describe = mock.on(DescribeAlarmsCommand);
  for (const s of states) describe.resolvesOnce({ MetricAlarms: [{ StateValue: s as never }] });
  describe.resolves({ MetricAlarms: [{ StateValue: states[states.length - 1] as never }] });
  mock.on(PutMetricDataCommand).resolves({});
  return { client, mock };
}

describe('failover and failback through the traffic switch', () => {
  test('failover --apply writes 1 to the switch metric and waits for ALARM, reporting how long it took', async () => {
    const { client, mock } = cloudwatch(['OK', 'OK', 'OK', 'ALARM']);
    const c = clock();
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true },
      { cloudwatch: client, deployment, ...c },
    );
    expect(result).toMatchObject({ status: 'done', before: 'OK', after: 'ALARM', secondsToConfirm: 30 });
    const put = mock.commandCalls(PutMetricDataCommand);
    expect(put).toHaveLength(1);
    expect(put[0].args[0].input).toMatchObject({
      Namespace: 'portfolio/DR',
      MetricData: [{ MetricName: 'TrafficSwitchFailover', Value: 1, Unit: 'Count' }],
    });
    expect(mock.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({
      AlarmNames: ['portfolio-traffic-switch'],
    });
  });

  test('failover is idempotent: already in ALARM, nothing is written', async () => {
    const { client, mock } = cloudwatch(['ALARM']);
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true },
      { cloudwatch: client, deployment, ...clock() },
    );
    expect(result.status).toBe('already');
    expect(mock.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  test('a dry run says what it would write and writes nothing', async () => {
    const { client, mock } = cloudwatch(['OK']);
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: false },
      { cloudwatch: client, deployment, ...clock() },
    );
    expect(result.status).toBe('planned');
    expect(result.message).toBe(
      'would put 1 to portfolio/DR TrafficSwitchFailover in us-west-2, moving the alarm from OK to ALARM',
    );
    expect(mock.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  test('failback is refused, with reasons and nothing written, while the primary is not ready', async () => {
    const { client, mock } = cloudwatch(['ALARM']);
    const result = await flipTrafficSwitch(
      { direction: 'failback', apply: true },
      {
        cloudwatch: client,
        deployment,
        failbackBlockers: async () => ['the primary is not healthy (HTTP 503)'],
        ...clock(),
      },
    );
    expect(result).toMatchObject({
      status: 'refused',
      message: 'failback refused: the primary is not healthy (HTTP 503)',
    });
    expect(mock.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  test('failback when ready writes 0 and waits for OK', async () => {
    const { client, mock } = cloudwatch(['ALARM', 'ALARM', 'OK']);
    const result = await flipTrafficSwitch(
      { direction: 'failback', apply: true },
      { cloudwatch: client, deployment, failbackBlockers: async () => [], ...clock() },
    );
    expect(result).toMatchObject({ status: 'done', after: 'OK', secondsToConfirm: 20 });
    expect(mock.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData![0].Value).toBe(0);
  });

  test('an alarm that never confirms is a failure after the wait, with the state it is in', async () => {
    const { client } = cloudwatch(['OK']);
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true, waitSeconds: 60 },
      { cloudwatch: client, deployment, ...clock() },
    );
    expect(result.status).toBe('failed');
    expect(result.message).toBe(
      'the alarm is still OK 60 s after the write; check the alarm in us-west-2 and run again',
    );
  });

  test('a missing switch alarm is reported, nothing written', async () => {
    const client = new CloudWatchClient({ region: 'us-west-2' });
    const mock = mockClient(client);
    mock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true },
      { cloudwatch: client, deployment, ...clock() },
    );
    expect(result).toMatchObject({ status: 'failed', before: 'MISSING' });
    expect(mock.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });
});

test('while waiting, progress is reported against the time allowed', async () => {
  const { client } = cloudwatch(['OK', 'OK', 'ALARM']);
  const seen: [number, number][] = [];
  await flipTrafficSwitch(
    { direction: 'failover', apply: true, waitSeconds: 120 },
    { cloudwatch: client, deployment, ...clock(), onWait: (w, a) => seen.push([w, a]) },
  );
  expect(seen).toEqual([
    [10, 120],
    [20, 120],
  ]);
});

/**
 * A small CloudWatch that evaluates the switch alarm as AWS does with TRAFFIC_SWITCH_ALARM: data
 * points fall into periods by their Timestamp; the alarm compares the Maximum of the current
 * period with the threshold (one evaluation period); a period without data leaves the state as it
 * is (missing data ignored). It evaluates when asked (so after a write, as AWS evaluates later
 * than the write), and records when the state last changed (StateTransitionedTimestamp and
 * StateUpdatedTimestamp).
 */
class FakeSwitchCloudWatch {
  readonly points: { at: number; value: number }[] = [];
  private state: StateValue = 'OK';
  private changedAt: number;
  readonly client = new CloudWatchClient({ region: 'us-west-2' });

  constructor(
    private readonly now: () => Date,
    private readonly periodSeconds = TRAFFIC_SWITCH_ALARM.periodSeconds,
  ) {
    expect(TRAFFIC_SWITCH_ALARM).toMatchObject({
      statistic: 'Maximum',
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 1,
      treatMissingData: 'ignore',
    });
    this.changedAt = now().getTime() - 3_600_000;
    const mock = mockClient(this.client);
    mock.on(DescribeAlarmsCommand).callsFake(() => ({ MetricAlarms: [this.describe()] }));
    mock.on(PutMetricDataCommand).callsFake((input: PutMetricDataCommandInput) => {
      for (const d of input.MetricData ?? []) {
        this.points.push({ at: (d.Timestamp ?? this.now()).getTime(), value: d.Value! });
      }
      return {};
    });
  }

  describe(): MetricAlarm {
    this.evaluate();
    return {
      AlarmName: deployment.trafficSwitch.alarmName,
      StateValue: this.state,
      StateTransitionedTimestamp: new Date(this.changedAt),
      StateUpdatedTimestamp: new Date(this.changedAt),
    };
  }

  private evaluate(): void {
    const period = this.periodSeconds * 1000;
    const start = Math.floor(this.now().getTime() / period) * period;
    const values = this.points.filter((p) => p.at >= start && p.at < start + period).map((p) => p.value);
    if (values.length === 0) return;
    const next: StateValue = Math.max(...values) >= TRAFFIC_SWITCH_ALARM.threshold ? 'ALARM' : 'OK';
    if (next !== this.state) {
      this.state = next;
      this.changedAt = this.now().getTime();
    }
  }
}

const ready = async () => [];

describe('a flip and a flip back inside one period of the switch alarm', () => {
  test('the fake, as AWS: a 0 in the same period as the 1 leaves the alarm in ALARM for good (what failback used to do)', () => {
    const c = clock();
    const cw = new FakeSwitchCloudWatch(c.now);
    const put = (value: number) =>
      cw.client.send(
        new PutMetricDataCommand({
          Namespace: 'portfolio/DR',
          MetricData: [{ MetricName: 'TrafficSwitchFailover', Value: value, Timestamp: c.now() }],
        }),
      );
    return (async () => {
      await put(1);
      await c.sleep(10_000);
      expect(cw.describe().StateValue).toBe('ALARM');
      await c.sleep(20_000);
      await put(0); // 10:00:30, the failback's write before this fix
      for (let i = 0; i < 30; i++) {
        await c.sleep(10_000);
        expect(cw.describe().StateValue).toBe('ALARM');
      }
    })();
  });

  test('failover, then failback 10 s later: failback waits for the next period, writes 0 there, and the alarm ends OK', async () => {
    const c = clock();
    const cw = new FakeSwitchCloudWatch(c.now);
    const deps = { cloudwatch: cw.client, deployment, failbackBlockers: ready, ...c };

    const over = await flipTrafficSwitch({ direction: 'failover', apply: true }, deps);
    expect(over).toMatchObject({ status: 'done', after: 'ALARM', secondsToConfirm: 10 });

    const back = await flipTrafficSwitch({ direction: 'failback', apply: true }, deps);
    expect(back).toMatchObject({ status: 'done', before: 'ALARM', after: 'OK', secondsToConfirm: 10 });
    expect(back.message).toBe(
      "failback confirmed: the alarm is OK 10 s after the write; waited 50 s for the next 60 s period of the switch alarm before writing: the alarm last changed at 2026-11-28T10:00:10.000Z, so the failover's 1 may have been in the period of the request, where a 0 cannot lower the Maximum; DNS follows within the health check's detection time and the record TTL",
    );
    expect(back.timeline.map((e) => [e.at, e.event])).toEqual([
      ['2026-11-28T10:00:10.000Z', 'failback requested'],
      ['2026-11-28T10:00:10.000Z', 'waiting for the next period of the switch alarm'],
      ['2026-11-28T10:01:00.000Z', 'switch metric written'],
      ['2026-11-28T10:01:10.000Z', 'confirmed'],
    ]);
    expect(back.timeline[1].detail).toEqual({
      seconds: 50,
      until: '2026-11-28T10:01:00.000Z',
      alarmChangedAt: '2026-11-28T10:00:10.000Z',
      periodSeconds: 60,
    });
    expect(cw.points).toEqual([
      { at: Date.parse('2026-11-28T10:00:00Z'), value: 1 },
      { at: Date.parse('2026-11-28T10:01:00Z'), value: 0 },
    ]);

    // And it stays OK while the stream is quiet.
    await c.sleep(600_000);
    expect(cw.describe().StateValue).toBe('OK');
  });

  test('a failback in a later period writes at once', async () => {
    const c = clock();
    const cw = new FakeSwitchCloudWatch(c.now);
    const deps = { cloudwatch: cw.client, deployment, failbackBlockers: ready, ...c };
    await flipTrafficSwitch({ direction: 'failover', apply: true }, deps);
    await c.sleep(200_000); // 10:03:30
    const back = await flipTrafficSwitch({ direction: 'failback', apply: true }, deps);
    expect(back).toMatchObject({ status: 'done', after: 'OK' });
    expect(back.timeline.map((e) => e.event)).not.toContain('waiting for the next period of the switch alarm');
    expect(cw.points[1]).toEqual({ at: Date.parse('2026-11-28T10:03:30Z'), value: 0 });
  });

  test("the period comes from the deployment record (the shared switch settings')", async () => {
    const c = clock();
    const fiveMinutes: Deployment = {
      ...deployment,
      trafficSwitch: { ...deployment.trafficSwitch, periodSeconds: 300 },
    };
    const cw = new FakeSwitchCloudWatch(c.now, 300);
    const deps = { cloudwatch: cw.client, deployment: fiveMinutes, failbackBlockers: ready, ...c };
    await flipTrafficSwitch({ direction: 'failover', apply: true }, deps);
    await c.sleep(120_000);
    const back = await flipTrafficSwitch({ direction: 'failback', apply: true }, deps);
    expect(back).toMatchObject({ status: 'done', after: 'OK' });
    expect(cw.points[1]).toEqual({ at: Date.parse('2026-11-28T10:05:00Z'), value: 0 });
  });

  test('a dry run of such a failback says it would wait, and writes nothing', async () => {
    const c = clock();
    const cw = new FakeSwitchCloudWatch(c.now);
    const deps = { cloudwatch: cw.client, deployment, failbackBlockers: ready, ...c };
    await flipTrafficSwitch({ direction: 'failover', apply: true }, deps);
    const plan = await flipTrafficSwitch({ direction: 'failback', apply: false }, deps);
    expect(plan).toMatchObject({
      status: 'planned',
      message:
        'would wait for the next 60 s period of the switch alarm, then put 0 to portfolio/DR TrafficSwitchFailover in us-west-2, moving the alarm from ALARM to OK',
    });
    expect(cw.points).toHaveLength(1);
  });

  test.each<[number | undefined, string]>([
    [undefined, 'not a number'],
    [90, 'not a multiple of 60'],
  ])('a deployment record with periodSeconds %p (%s) is refused before anything is written', async (periodSeconds) => {
    const c = clock();
    const cw = new FakeSwitchCloudWatch(c.now);
    await flipTrafficSwitch({ direction: 'failover', apply: true }, { cloudwatch: cw.client, deployment, ...c });
    const broken = { ...deployment, trafficSwitch: { ...deployment.trafficSwitch, periodSeconds } } as Deployment;
    await expect(
      flipTrafficSwitch(
        { direction: 'failback', apply: true },
        { cloudwatch: cw.client, deployment: broken, failbackBlockers: ready, ...c },
      ),
    ).rejects.toThrow(
      `deployment.trafficSwitch.periodSeconds: got ${JSON.stringify(periodSeconds)}, expected a positive multiple of 60 (the switch alarm's period)`,
    );
    expect(cw.points).toHaveLength(1);
  });
});

describe('failbackWriteTime', () => {
  const at = (t: string) => new Date(`2026-11-28T${t}Z`);
  test.each([
    ['the alarm changed in the current period', '10:00:40', '10:00:05', '10:01:00'],
    ['the alarm changed at the start of the current period', '10:00:40', '10:00:00', '10:01:00'],
    ['the alarm changed just before the current period', '10:00:40', '09:59:59.999', '10:00:40'],
    ['the alarm changed minutes ago', '10:07:13', '10:00:05', '10:07:13'],
    ['now is exactly a boundary and the alarm changed in it', '10:01:00', '10:01:00', '10:02:00'],
  ])('%s: now %s, changed %s -> write at %s', (_name, now, changed, expected) => {
    expect(failbackWriteTime(at(now), 60, at(changed))).toEqual(at(expected));
  });

  test('without a state-change time it waits for the next boundary (at most one period)', () => {
    expect(failbackWriteTime(at('10:00:40'), 60)).toEqual(at('10:01:00'));
  });
});

describe('failover does not obey failback blockers', () => {
  const blockers = ['the primary is not healthy (https://us-east-1.www.example.com/healthz: HTTP 503)'];

  test('failover while the primary is down (the failback blockers present) writes 1 and never asks for them', async () => {
    const { client, mock } = cloudwatch(['OK', 'ALARM']);
    const failbackBlockers = jest.fn(async () => blockers);
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true },
      { cloudwatch: client, deployment, failbackBlockers, ...clock() },
    );
    expect(result).toMatchObject({ status: 'done', after: 'ALARM', blockers: [] });
    expect(failbackBlockers).not.toHaveBeenCalled();
    expect(mock.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData![0].Value)).toEqual([1]);
  });

  test('a dry-run failover with the failback blockers present is planned, not refused', async () => {
    const { client } = cloudwatch(['OK']);
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: false },
      { cloudwatch: client, deployment, failbackBlockers: async () => blockers, ...clock() },
    );
    expect(result).toMatchObject({ status: 'planned', dryRun: true, blockers: [] });
  });

  test('a failback without a readiness check proceeds (the caller chose not to check)', async () => {
    const { client, mock } = cloudwatch(['ALARM', 'OK']);
    const c = clock(Date.parse('2026-11-28T10:00:30Z'));
    const result = await flipTrafficSwitch(
      { direction: 'failback', apply: true },
      { cloudwatch: client, deployment, ...c },
    );
    expect(result).toMatchObject({ status: 'done', after: 'OK', blockers: [] });
    expect(mock.commandCalls(PutMetricDataCommand)).toHaveLength(1);
  });
});

describe('every outcome: status, dryRun, message and the timeline', () => {
  const alarm = 'portfolio-traffic-switch (us-west-2)';
  const at = '2026-11-28T10:00:00.000Z';

  test('missing alarm (an empty list, or none at all)', async () => {
    for (const out of [{ MetricAlarms: [] }, {}]) {
      const client = new CloudWatchClient({ region: 'us-west-2' });
      mockClient(client).on(DescribeAlarmsCommand).resolves(out);
      const result = await flipTrafficSwitch(
        { direction: 'failover', apply: true },
        { cloudwatch: client, deployment, ...clock() },
      );
      expect(result).toEqual({
        status: 'failed',
        direction: 'failover',
        dryRun: false,
        alarm,
        before: 'MISSING',
        blockers: [],
        message:
          'the traffic switch alarm portfolio-traffic-switch does not exist in us-west-2: deploy the standby hosting stack first',
        timeline: [
          {
            at,
            event: 'failover requested',
            detail: { alarm: 'portfolio-traffic-switch', state: 'MISSING', apply: true },
          },
        ],
      });
    }
  });

  test('already in position (a dry run says the same)', async () => {
    for (const apply of [true, false]) {
      const { client } = cloudwatch(['OK']);
      const result = await flipTrafficSwitch(
        { direction: 'failback', apply },
        { cloudwatch: client, deployment, ...clock() },
      );
      expect(result).toEqual({
        status: 'already',
        direction: 'failback',
        dryRun: !apply,
        alarm,
        before: 'OK',
        after: 'OK',
        blockers: [],
        message: 'the switch is already in the failback position (OK); nothing to do',
        timeline: [
          { at, event: 'failback requested', detail: { alarm: 'portfolio-traffic-switch', state: 'OK', apply } },
          { at, event: 'already in position' },
        ],
      });
    }
  });

  test('refused failback, every blocker listed', async () => {
    const { client } = cloudwatch(['ALARM']);
    const blockers = ['the primary is not healthy (x: HTTP 503)', 'primary and standby content differ (y)'];
    const result = await flipTrafficSwitch(
      { direction: 'failback', apply: true },
      { cloudwatch: client, deployment, failbackBlockers: async () => blockers, ...clock() },
    );
    expect(result).toEqual({
      status: 'refused',
      direction: 'failback',
      dryRun: false,
      alarm,
      before: 'ALARM',
      blockers,
      message: 'failback refused: the primary is not healthy (x: HTTP 503); primary and standby content differ (y)',
      timeline: [
        { at, event: 'failback requested', detail: { alarm: 'portfolio-traffic-switch', state: 'ALARM', apply: true } },
        { at, event: 'failback refused', detail: { blockers } },
      ],
    });
  });

  test('planned failover', async () => {
    const { client } = cloudwatch(['INSUFFICIENT_DATA']);
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: false },
      { cloudwatch: client, deployment, ...clock() },
    );
    expect(result).toEqual({
      status: 'planned',
      direction: 'failover',
      dryRun: true,
      alarm,
      before: 'INSUFFICIENT_DATA',
      blockers: [],
      message:
        'would put 1 to portfolio/DR TrafficSwitchFailover in us-west-2, moving the alarm from INSUFFICIENT_DATA to ALARM',
      timeline: [
        {
          at,
          event: 'failover requested',
          detail: { alarm: 'portfolio-traffic-switch', state: 'INSUFFICIENT_DATA', apply: false },
        },
      ],
    });
  });

  test('done: written at once with the time of the write, confirmed by the third poll', async () => {
    const { client, mock } = cloudwatch(['OK', 'OK', 'OK', 'ALARM']);
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true },
      { cloudwatch: client, deployment, ...clock() },
    );
    expect(result).toEqual({
      status: 'done',
      direction: 'failover',
      dryRun: false,
      alarm,
      before: 'OK',
      after: 'ALARM',
      blockers: [],
      secondsToConfirm: 30,
      message:
        "failover confirmed: the alarm is ALARM 30 s after the write; DNS follows within the health check's detection time and the record TTL",
      timeline: [
        { at, event: 'failover requested', detail: { alarm: 'portfolio-traffic-switch', state: 'OK', apply: true } },
        { at, event: 'switch metric written', detail: { value: 1, timestamp: at } },
        { at: '2026-11-28T10:00:30.000Z', event: 'confirmed', detail: { state: 'ALARM', seconds: 30 } },
      ],
    });
    expect(mock.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData![0].Timestamp).toEqual(new Date(at));
    expect(mock.commandCalls(DescribeAlarmsCommand)).toHaveLength(4);
  });

  test('not confirmed within the default 300 s: polled every 10 s, then failed with the state it is in', async () => {
    const { client, mock } = cloudwatch(['OK']);
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true },
      { cloudwatch: client, deployment, ...clock() },
    );
    expect(result).toEqual({
      status: 'failed',
      direction: 'failover',
      dryRun: false,
      alarm,
      before: 'OK',
      after: 'OK',
      blockers: [],
      secondsToConfirm: 300,
      message: 'the alarm is still OK 300 s after the write; check the alarm in us-west-2 and run again',
      timeline: [
        { at, event: 'failover requested', detail: { alarm: 'portfolio-traffic-switch', state: 'OK', apply: true } },
        { at, event: 'switch metric written', detail: { value: 1, timestamp: at } },
        { at: '2026-11-28T10:05:00.000Z', event: 'not confirmed', detail: { state: 'OK', seconds: 300 } },
      ],
    });
    expect(mock.commandCalls(DescribeAlarmsCommand)).toHaveLength(31);
  });

  test('an alarm deleted while waiting: failed, with no state after', async () => {
    const client = new CloudWatchClient({ region: 'us-west-2' });
    const mock = mockClient(client);
    mock
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ StateValue: 'OK' }] })
      .resolves({ MetricAlarms: [] });
    mock.on(PutMetricDataCommand).resolves({});
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true, waitSeconds: 20 },
      { cloudwatch: client, deployment, ...clock() },
    );
    expect(result.status).toBe('failed');
    expect(result).not.toHaveProperty('after', expect.anything());
    expect(result.after).toBeUndefined();
    expect(result.message).toBe(
      'the alarm is still MISSING 20 s after the write; check the alarm in us-west-2 and run again',
    );
    expect(result.timeline[2]).toEqual({
      at: '2026-11-28T10:00:20.000Z',
      event: 'not confirmed',
      detail: { state: 'MISSING', seconds: 20 },
    });
  });

  test('pollSeconds sets the polling interval', async () => {
    const { client } = cloudwatch(['OK', 'OK', 'OK', 'ALARM']);
    const seen: number[] = [];
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true },
      { cloudwatch: client, deployment, ...clock(), pollSeconds: 30, onWait: (w) => seen.push(w) },
    );
    expect(seen).toEqual([30, 60, 90]);
    expect(result.secondsToConfirm).toBe(90);
  });
});

describe("failback's write time, from the alarm's state-change timestamps", () => {
  function alarmWith(times: Partial<MetricAlarm>) {
    const client = new CloudWatchClient({ region: 'us-west-2' });
    const mock = mockClient(client);
    mock
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ StateValue: 'ALARM', ...times }] })
      .resolves({ MetricAlarms: [{ StateValue: 'OK' }] });
    mock.on(PutMetricDataCommand).resolves({});
    return { client, mock };
  }
  const start = Date.parse('2026-11-28T10:00:40Z');
  const writtenAt = (mock: ReturnType<typeof mockClient>) =>
    (mock.commandCalls(PutMetricDataCommand)[0].args[0].input as PutMetricDataCommandInput).MetricData![0].Timestamp;

  test('the later of the two timestamps counts: transitioned last period, updated in this one -> wait', async () => {
    const { client, mock } = alarmWith({
      StateTransitionedTimestamp: new Date('2026-11-28T09:59:30Z'),
      StateUpdatedTimestamp: new Date('2026-11-28T10:00:05Z'),
    });
    const result = await flipTrafficSwitch(
      { direction: 'failback', apply: true },
      { cloudwatch: client, deployment, failbackBlockers: ready, ...clock(start) },
    );
    expect(writtenAt(mock)).toEqual(new Date('2026-11-28T10:01:00Z'));
    expect(result.timeline[1]).toEqual({
      at: '2026-11-28T10:00:40.000Z',
      event: 'waiting for the next period of the switch alarm',
      detail: {
        seconds: 20,
        until: '2026-11-28T10:01:00.000Z',
        alarmChangedAt: '2026-11-28T10:00:05.000Z',
        periodSeconds: 60,
      },
    });
  });

  test('both timestamps in an earlier period: written at once', async () => {
    const { client, mock } = alarmWith({
      StateTransitionedTimestamp: new Date('2026-11-28T09:59:30Z'),
      StateUpdatedTimestamp: new Date('2026-11-28T09:59:50Z'),
    });
    await flipTrafficSwitch(
      { direction: 'failback', apply: true },
      { cloudwatch: client, deployment, failbackBlockers: ready, ...clock(start) },
    );
    expect(writtenAt(mock)).toEqual(new Date(start));
  });

  test('no timestamps: it waits for the boundary and says the change time is unknown', async () => {
    const { client } = alarmWith({});
    const result = await flipTrafficSwitch(
      { direction: 'failback', apply: true },
      { cloudwatch: client, deployment, failbackBlockers: ready, ...clock(start) },
    );
    expect(result.timeline[1].detail).toMatchObject({ alarmChangedAt: null, seconds: 20 });
    expect(result.message).toBe(
      "failback confirmed: the alarm is OK 10 s after the write; waited 20 s for the next 60 s period of the switch alarm before writing: the alarm last changed at an unknown time, so the failover's 1 may have been in the period of the request, where a 0 cannot lower the Maximum; DNS follows within the health check's detection time and the record TTL",
    );
  });

  test('a timer that fires early does not move the write before the boundary', async () => {
    const { client, mock } = alarmWith({});
    let t = start;
    const early = { now: () => new Date(t), sleep: async (ms: number) => void (t += ms - 5000) };
    await flipTrafficSwitch(
      { direction: 'failback', apply: true, waitSeconds: 60 },
      { cloudwatch: client, deployment, failbackBlockers: ready, ...early },
    );
    expect(writtenAt(mock)).toEqual(new Date('2026-11-28T10:01:00Z'));
  });

  test('a failback that waits and is never confirmed says it waited', async () => {
    const client = new CloudWatchClient({ region: 'us-west-2' });
    mockClient(client)
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ StateValue: 'ALARM' }] })
      .on(PutMetricDataCommand)
      .resolves({});
    const result = await flipTrafficSwitch(
      { direction: 'failback', apply: true, waitSeconds: 30 },
      { cloudwatch: client, deployment, failbackBlockers: ready, ...clock(start) },
    );
    expect(result).toMatchObject({ status: 'failed', after: 'ALARM' });
    expect(result.message).toBe(
      "the alarm is still ALARM 30 s after the write; waited 20 s for the next 60 s period of the switch alarm before writing: the alarm last changed at an unknown time, so the failover's 1 may have been in the period of the request, where a 0 cannot lower the Maximum; check the alarm in us-west-2 and run again",
    );
  });

  test.each<[unknown]>([[0], [-60], ['60'], [null], [Number.POSITIVE_INFINITY]])(
    'periodSeconds %p is refused',
    async (periodSeconds) => {
      const { client, mock } = alarmWith({});
      const broken = { ...deployment, trafficSwitch: { ...deployment.trafficSwitch, periodSeconds } } as Deployment;
      await expect(
        flipTrafficSwitch(
          { direction: 'failback', apply: true },
          { cloudwatch: client, deployment: broken, failbackBlockers: ready, ...clock(start) },
        ),
      ).rejects.toThrow(
        `deployment.trafficSwitch.periodSeconds: got ${JSON.stringify(periodSeconds)}, expected a positive multiple of 60 (the switch alarm's period)`,
      );
      expect(mock.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    },
  );

  test('a failover never reads the period (a broken record does not stop a failover)', async () => {
    const { client } = cloudwatch(['OK', 'ALARM']);
    const broken = { ...deployment, trafficSwitch: { ...deployment.trafficSwitch, periodSeconds: 0 } } as Deployment;
    const result = await flipTrafficSwitch(
      { direction: 'failover', apply: true },
      { cloudwatch: client, deployment: broken, ...clock() },
    );
    expect(result.status).toBe('done');
  });
});

describe('without an injected clock: the time of day and real waits', () => {
  beforeEach(() => {
    for (const spy of systemClockGuard) spy.mockRestore();
    jest.useFakeTimers({ now: Date.parse('2026-11-28T10:00:00Z') });
  });

  test('the default sleep really waits the poll interval between reads of the alarm', async () => {
    const { client, mock } = cloudwatch(['OK', 'OK', 'ALARM']);
    const flip = flipTrafficSwitch({ direction: 'failover', apply: true }, { cloudwatch: client, deployment });
    const reads = () => mock.commandCalls(DescribeAlarmsCommand).length;
    await jest.advanceTimersByTimeAsync(9_999);
    expect(reads()).toBe(1);
    expect(mock.commandCalls(PutMetricDataCommand)).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(reads()).toBe(2);
    let result: Awaited<typeof flip> | undefined;
    void flip.then((r) => (result = r));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(reads()).toBe(3);
    // Settled now, without more time passing (a switch that still waits would leave the test hanging).
    expect(result).toMatchObject({ status: 'done', secondsToConfirm: 20 });
    expect(result!.timeline.map((e) => e.at)).toEqual([
      '2026-11-28T10:00:00.000Z',
      '2026-11-28T10:00:00.000Z',
      '2026-11-28T10:00:20.000Z',
    ]);
  });
});
