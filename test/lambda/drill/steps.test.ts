import { DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { InputError } from '../../../lambda/contract/errors';
import { type DrillState, MARKER_KEY, parseDrillInput } from '../../../lambda/lib/drill/state';
import {
  abort,
  failback,
  failover,
  finish,
  pollMarker,
  pollStandby,
  route53Healthy,
  start,
  writeMarker,
} from '../../../lambda/lib/drill/steps';
import { runDrillStep } from '../../../lambda/lib/drill/run';
import { REPORT_BUCKET, world, type WorldOptions } from '../../support/drill-world';

const ready = {
  ready: true,
  checkedAt: '2026-11-28T09:59:00.000Z',
  checks: [{ check: 'health-checks', ok: true, summary: 'both healthy' }],
};
const input = { budgets: { rtoSeconds: 396, rpoSeconds: 960 } };

function begin(options: WorldOptions = {}) {
  const w = world(options);
  const state: DrillState = { ...start(input, w.deps), readiness: ready };
  return { w, state };
}

/** Poll as the state machine does: one step, then a wait of pollSeconds, until done. */
async function poll(
  step: typeof pollStandby,
  state: DrillState,
  w: ReturnType<typeof world>,
  field: 'recovery' | 'replication',
) {
  let s = state;
  for (;;) {
    s = await step(s, w.deps);
    if (s[field]?.done) return s;
    await w.advance(s.pollSeconds * 1000);
  }
}

describe('drill input', () => {
  test('budgets are required; every bad field is named with its value', () => {
    expect(() => parseDrillInput({ budgets: { rtoSeconds: -1 }, pollSeconds: 2 })).toThrow(
      new InputError(
        'Invalid drill input:\n  - budgets.rtoSeconds: got -1, expected a number above 0\n  - budgets.rpoSeconds: missing, expected a number\n  - pollSeconds: got 2, expected at least 5',
      ),
    );
  });

  test('start stamps the id, the targets from the deployment and the default poll interval', () => {
    const w = world();
    expect(start(input, w.deps)).toEqual({
      budgets: input.budgets,
      pollSeconds: 15,
      drillId: 'drill-20261128T100000Z',
      startedAt: '2026-11-28T10:00:00.000Z',
      targets: { rtoSeconds: 900, rpoSeconds: 1800 },
      timeline: [expect.objectContaining({ event: 'drill started' })],
    });
  });

  test('an unknown step is refused with the known ones', async () => {
    await expect(runDrillStep({ step: 'explode' as never, drill: {} }, world().deps)).rejects.toThrow(
      'step: got "explode", expected one of start, failover, pollStandby, writeMarker, pollMarker, failback, finish, abort',
    );
  });
});

describe('drill steps against a simulated deployment', () => {
  test('the whole drill measures RTO from the switch write to the standby serving, and RPO from marker write to arrival', async () => {
    const { w, state } = begin({ alarmSeconds: 90, dnsSeconds: 120, replicationSeconds: 40 });
    let s = await failover(state, w.deps);
    expect(s.failover).toEqual({ writtenAt: '2026-11-28T10:00:00.000Z', confirmedAt: '2026-11-28T10:01:30.000Z' });
    s = await poll(pollStandby, s, w, 'recovery');
    // The alarm turned at +90 s, DNS followed 120 s later: the polls from +90 s every 15 s see it at +210 s.
    expect(s.recovery).toMatchObject({ done: true, rtoSeconds: 210 });
    s = await writeMarker(s, w.deps);
    expect(s.marker).toEqual({ key: MARKER_KEY, versionId: 'marker-version-1', writtenAt: '2026-11-28T10:03:30.000Z' });
    s = await poll(pollMarker, s, w, 'replication');
    expect(s.replication).toMatchObject({ done: true, rpoSeconds: 45, attempts: 4 });
    s = await failback(s, w.deps);
    expect(s.failback?.status).toBe('done');
    expect(w.switchState()).toBe('OK');
    const report = await finish(s, w.deps);
    expect(report).toMatchObject({
      passed: true,
      rto: { targetSeconds: 900, budgetSeconds: 396, measuredSeconds: 210, withinTarget: true, withinBudget: true },
      rpo: { targetSeconds: 1800, budgetSeconds: 960, measuredSeconds: 45, withinTarget: true, pollSeconds: 15 },
      failure: null,
      location: {
        bucket: REPORT_BUCKET,
        json: 'drills/drill-20261128T100000Z/report.json',
        markdown: 'drills/drill-20261128T100000Z/report.md',
      },
    });
    expect(w.puts.filter((p) => p.bucket === REPORT_BUCKET).map((p) => p.key)).toEqual([
      'drills/drill-20261128T100000Z/report.json',
      'drills/drill-20261128T100000Z/report.md',
    ]);
    expect(w.metrics.map((m) => [m.MetricName, m.Value, m.Unit])).toEqual([
      ['DrillPassed', 1, 'Count'],
      ['DrillMeasuredRtoSeconds', 210, 'Seconds'],
      ['DrillAchievedRpoSeconds', 45, 'Seconds'],
    ]);
    // The switch write goes to the switch's namespace; the drill's measurements to the assurance one
    // (lambda/contract/assurance.ts), which the drill role may write without being able to fail over.
    const byNamespace = w.cwMock
      .commandCalls(PutMetricDataCommand)
      .map((c) => [c.args[0].input.Namespace, (c.args[0].input.MetricData ?? []).map((d) => d.MetricName)]);
    expect(byNamespace).toEqual([
      ['portfolio/DR', ['TrafficSwitchFailover']],
      ['portfolio/DR', ['TrafficSwitchFailover']],
      ['portfolio/DR-Assurance', ['DrillPassed', 'DrillMeasuredRtoSeconds', 'DrillAchievedRpoSeconds']],
    ]);
  });

  test('the marker is one fixed key under the drill prefix, overwritten by each drill, never deleted', async () => {
    const { w, state } = begin();
    await writeMarker(state, w.deps);
    await writeMarker(state, w.deps);
    expect(w.puts.map((p) => `${p.bucket}/${p.key}`)).toEqual([
      'site-primary/drill/marker.json',
      'site-primary/drill/marker.json',
    ]);
    expect(JSON.parse(w.puts[0].body)).toEqual({
      drillId: 'drill-20261128T100000Z',
      writtenAt: '2026-11-28T10:00:00.000Z',
    });
  });

  test('a switch already in the failover position refuses the drill, so that its abort fails nothing back', async () => {
    const { w, state } = begin({ initialSwitch: 'ALARM' });
    const err = await failover(state, w.deps).catch((e: Error) => e);
    expect(err).toMatchObject({
      name: 'DrillRefused',
      message:
        'the traffic switch portfolio-traffic-switch (us-west-2) is already in the failover position: traffic is on the standby for another reason; the drill fails nothing back (fail back with drctl failback first, then run the drill again)',
    });
    const report = await abort(
      { ...state, failure: { Error: 'DrillRefused', Cause: JSON.stringify({ errorMessage: (err as Error).message }) } },
      w.deps,
    );
    expect(report.failback).toEqual({
      status: 'not-needed',
      message: 'the drill did not move traffic; nothing to fail back',
    });
    expect(w.switchState()).toBe('ALARM');
  });

  test('a switch alarm that never confirms fails the failover step', async () => {
    const { w, state } = begin({ alarmIgnores: 1 });
    await expect(failover(state, w.deps)).rejects.toThrow(
      'failover did not complete (failed): the alarm is still OK 300 s after the write; check the alarm in us-west-2 and run again',
    );
  });

  test('the standby never serving times out at the RTO target, naming the last observation', async () => {
    const { w, state } = begin({ dnsSeconds: 5000 });
    const s = await failover(state, w.deps);
    await expect(poll(pollStandby, s, w, 'recovery')).rejects.toThrow(
      "the site's name did not serve the live release from the standby within the RTO target (900 s after the failover write, 55 polls); last poll: served by us-east-1 (198.51.100.1), not the standby us-west-2",
    );
  });

  test('Route 53 not answering keeps the poll going and, at the deadline, names the error', async () => {
    const down = Object.assign(new Error('connect ETIMEDOUT route53.amazonaws.com'), { name: 'TimeoutError' });
    const { w, state } = begin({ route53Error: down });
    const s = await failover(state, w.deps);
    await expect(poll(pollStandby, s, w, 'recovery')).rejects.toThrow(
      'last poll: Route 53 did not answer: TimeoutError: connect ETIMEDOUT route53.amazonaws.com',
    );
  });

  test('a standby health check that Route 53 sees unhealthy is not recovered, even when the name answers', async () => {
    const { w } = begin({ standbyHealthy: false });
    expect(await route53Healthy(w.deps.route53, 'us-west-2.www.example.com')).toEqual({
      healthy: false,
      summary: 'Route 53 health check hc-standby (us-west-2.www.example.com): 0 of 8 checkers healthy',
    });
    expect(await route53Healthy(w.deps.route53, 'nowhere.example.com')).toEqual({
      healthy: false,
      summary: 'no Route 53 health check targets nowhere.example.com',
    });
  });

  test('a marker that never arrives times out at the RPO target', async () => {
    const { w, state } = begin({ replicationSeconds: 99_999 });
    const s = await writeMarker(state, w.deps);
    await expect(poll(pollMarker, s, w, 'replication')).rejects.toThrow(
      'the marker did not arrive in the standby within the RPO target (1800 s after its write, 121 polls); last poll: version marker-version-1 of drill/marker.json not in the standby yet',
    );
  });

  test('failback refused by its validations (primary unhealthy) fails the step', async () => {
    const { w, state } = begin({ primaryHealthy: false });
    const s = await failover(state, w.deps);
    await expect(failback(s, w.deps)).rejects.toThrow(
      'failback refused: failback refused: the primary is not healthy (https://us-east-1.www.example.com/healthz: HTTP 503)',
    );
    expect(w.switchState()).toBe('ALARM');
  });

  test('abort after a failed step fails back, reports FAILED and publishes DrillPassed 0', async () => {
    const { w, state } = begin();
    const s = await failover(state, w.deps);
    const report = await abort(
      {
        ...s,
        failure: {
          Error: 'DrillStepError',
          Cause: JSON.stringify({ errorType: 'DrillStepError', errorMessage: 'the site did not answer', trace: [] }),
        },
      },
      w.deps,
    );
    expect(w.switchState()).toBe('OK');
    expect(report).toMatchObject({
      passed: false,
      failure: { error: 'DrillStepError', message: 'the site did not answer' },
      failback: { status: 'done' },
      rto: { measuredSeconds: null, withinTarget: null },
    });
    expect(w.metrics.map((m) => [m.MetricName, m.Value])).toEqual([['DrillPassed', 0]]);
  });

  test('abort whose failback is refused still reports, and says traffic may still be on the standby', async () => {
    const { w, state } = begin({ primaryHealthy: false });
    const s = await failover(state, w.deps);
    const report = await abort({ ...s, failure: { Error: 'States.Timeout' } }, w.deps);
    expect(report.failback?.status).toBe('refused');
    expect(report.findings).toEqual([
      'traffic may still be on the standby: failback refused; follow docs/runbooks/drill.md#a-drill-failed',
    ]);
    expect(report.failure).toEqual({ error: 'States.Timeout', message: 'States.Timeout' });
  });

  test('abort when readiness said no fails nothing back and lists the failing checks', async () => {
    const w = world();
    const notReady = {
      ready: false,
      checkedAt: ready.checkedAt,
      checks: [{ check: 'replication-drift', ok: false, summary: '3 keys missing' }],
    };
    const report = await abort({ ...start(input, w.deps), readiness: notReady }, w.deps);
    expect(report.readiness).toEqual({ ready: false, failing: ['replication-drift: 3 keys missing'] });
    expect(report.failback?.status).toBe('not-needed');
    expect(w.cwMock.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });
});
