import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { flipTrafficSwitch } from '../../../lambda/lib/traffic/switch';
import { deployment } from '../../support/deployment';

function clock(start = Date.parse('2026-11-28T10:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), sleep: async (ms: number) => void (t += ms) };
}

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
    const result = await flipTrafficSwitch({ direction: 'failover', apply: false }, { cloudwatch: client, deployment });
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
      { cloudwatch: client, deployment, failbackBlockers: async () => ['the primary is not healthy (HTTP 503)'] },
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
    const result = await flipTrafficSwitch({ direction: 'failover', apply: true }, { cloudwatch: client, deployment });
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
