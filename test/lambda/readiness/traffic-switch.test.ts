import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { trafficSwitch } from '../../../lambda/lib/readiness/traffic-switch';
import { NOW, readyWorld } from './fixtures';

const since = new Date('2026-11-29T10:00:00Z');

describe('traffic-switch', () => {
  test.each(['OK', 'INSUFFICIENT_DATA'] as const)('%s: the primary serves, ok', async (state) => {
    const world = readyWorld();
    world.mocks.cloudwatch.standby.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'portfolio-traffic-switch', StateValue: state, StateUpdatedTimestamp: since }],
    });
    expect(await trafficSwitch(world.deps, NOW)).toEqual({
      check: 'traffic-switch',
      ok: true,
      summary: `the switch portfolio-traffic-switch is ${state}: the primary serves`,
      details: { alarmName: 'portfolio-traffic-switch', state, since: '2026-11-29T10:00:00.000Z' },
    });
    expect(world.mocks.cloudwatch.standby.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({
      AlarmNames: ['portfolio-traffic-switch'],
    });
    expect(world.mocks.cloudwatch.primary.calls()).toHaveLength(0);
  });

  test('ALARM: a failover is in effect, not ready', async () => {
    const world = readyWorld();
    world.mocks.cloudwatch.standby
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: 'portfolio-traffic-switch', StateValue: 'ALARM' }] });
    expect(await trafficSwitch(world.deps, NOW)).toEqual({
      check: 'traffic-switch',
      ok: false,
      summary:
        'the switch portfolio-traffic-switch is in ALARM: traffic is forced to the standby (a failover is in effect); fail back when the primary is ready',
      details: { alarmName: 'portfolio-traffic-switch', state: 'ALARM', since: undefined },
    });
  });

  test.each([
    ['no alarm returned', {}],
    ['another alarm returned', { MetricAlarms: [{ AlarmName: 'other', StateValue: 'OK' as const }] }],
  ])('missing switch alarm (%s): fails', async (_, answer) => {
    const world = readyWorld();
    world.mocks.cloudwatch.standby.on(DescribeAlarmsCommand).resolves(answer);
    expect(await trafficSwitch(world.deps, NOW)).toEqual({
      check: 'traffic-switch',
      ok: false,
      summary: 'the switch alarm portfolio-traffic-switch does not exist in us-west-2',
      details: { alarmName: 'portfolio-traffic-switch' },
    });
  });
});
