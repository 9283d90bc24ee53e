import { DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { READINESS_CHECKS } from '../../../lambda/contract/assurance';
import { InputError } from '../../../lambda/contract/errors';
import { type DrillState, MARKER_KEY, parseDrillInput } from '../../../lambda/lib/drill/state';
import {
  abort,
  failback,
  failover,
  finish,
  pollMarker,
  pollPrimary,
  pollStandby,
  route53Healthy,
  start,
  writeMarker,
} from '../../../lambda/lib/drill/steps';
import { runDrillStep } from '../../../lambda/lib/drill/run';
import { REPORT_BUCKET, world, type WorldOptions } from '../../support/drill-world';

/** A readiness reply as the readiness Lambda gives it: every check, passed, a minute before the drill. */
const ready = {
  ready: true,
  checkedAt: '2026-11-28T09:59:00.000Z',
  app: 'portfolio',
  region: 'us-west-2',
  checks: READINESS_CHECKS.map((check) => ({ check, ok: true, summary: 'fine', details: {} })),
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
  field: 'recovery' | 'replication' | 'primary',
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
      'step: got "explode", expected one of start, failover, pollStandby, writeMarker, pollMarker, failback, pollPrimary, finish, abort',
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
    expect(s.failback).toMatchObject({ status: 'done', startedAt: '2026-11-28T10:04:15.000Z' });
    expect(w.switchState()).toBe('OK');
    // The alarm is OK at +90 s; DNS follows 120 s later: the polls every 15 s from there see it at +210 s.
    s = await poll(pollPrimary, s, w, 'primary');
    expect(s.primary).toMatchObject({ done: true, seconds: 210, attempts: 9 });
    expect(s.timeline.at(-1)).toMatchObject({
      event: 'the site name serves the live release from the primary again',
      detail: expect.objectContaining({ servedRegion: 'us-east-1', release: 'v42', failbackSeconds: 210 }),
    });
    const report = await finish(s, w.deps);
    expect(report).toMatchObject({
      passed: true,
      rto: { targetSeconds: 900, budgetSeconds: 396, measuredSeconds: 210, withinTarget: true, withinBudget: true },
      rpo: { targetSeconds: 1800, budgetSeconds: 960, measuredSeconds: 45, withinTarget: true, pollSeconds: 15 },
      failbackTime: { targetSeconds: 900, budgetSeconds: 396, measuredSeconds: 210, withinTarget: true },
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

  test('abort after a failed step fails back; the failback is then validated and finish reports FAILED', async () => {
    const { w, state } = begin();
    const s = await failover(state, w.deps);
    let aborted = await abort(
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
    expect(aborted.failback).toMatchObject({ status: 'done' });
    expect(aborted.timeline.at(-1)?.event).toBe('failed back (to be validated)');
    aborted = await poll(pollPrimary, aborted, w, 'primary');
    const report = await finish(aborted, w.deps);
    expect(report).toMatchObject({
      passed: false,
      failure: { error: 'DrillStepError', message: 'the site did not answer' },
      failback: { status: 'done' },
      rto: { measuredSeconds: null, withinTarget: null },
      failbackTime: { measuredSeconds: 210, withinTarget: true },
    });
    expect(w.metrics.map((m) => [m.MetricName, m.Value])).toEqual([['DrillPassed', 0]]);
  });

  test('abort whose failback is refused still reports, and says traffic may still be on the standby', async () => {
    const { w, state } = begin({ primaryHealthy: false });
    const s = await failover(state, w.deps);
    const aborted = await abort({ ...s, failure: { Error: 'States.Timeout' } }, w.deps);
    expect(aborted.failback?.status).toBe('refused');
    const report = await finish(aborted, w.deps);
    expect(report.findings).toEqual([
      'traffic may still be on the standby: failback refused; follow docs/runbooks/drill.md#a-drill-failed',
    ]);
    expect(report.failure).toEqual({ error: 'States.Timeout', message: 'States.Timeout' });
  });

  test('abort when readiness refused the drill fails nothing back and lists the failing checks', async () => {
    const w = world();
    const notReady = {
      ...ready,
      ready: false,
      checks: ready.checks.map((c) =>
        c.check === 'replication-drift' ? { ...c, ok: false, summary: '3 keys missing' } : c,
      ),
    };
    const refused = await failover({ ...start(input, w.deps), readiness: notReady }, w.deps).catch((e: Error) => e);
    expect(refused).toMatchObject({
      name: 'ReadinessRefused',
      message: 'readiness refused, the drill moved no traffic: check replication-drift failed: 3 keys missing',
    });
    const aborted = await abort(
      {
        ...start(input, w.deps),
        readiness: notReady,
        failure: { Error: 'ReadinessRefused', Cause: JSON.stringify({ errorMessage: (refused as Error).message }) },
      },
      w.deps,
    );
    expect(aborted.failback?.status).toBe('not-needed');
    const report = await finish(aborted, w.deps);
    expect(report.readiness).toEqual({ ready: false, failing: ['replication-drift: 3 keys missing'] });
    expect(w.cwMock.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });
});

describe('the failback is validated like the failover', () => {
  /** Failover, standby serving, marker, failback: the state pollPrimary starts from. */
  async function failedBack(options: WorldOptions) {
    const { w, state } = begin(options);
    let s = await failover(state, w.deps);
    s = await poll(pollStandby, s, w, 'recovery');
    s = await writeMarker(s, w.deps);
    s = await poll(pollMarker, s, w, 'replication');
    s = await failback(s, w.deps);
    return { w, s };
  }

  test('DNS never following the failback times out at the RTO target: the site may still be on the standby', async () => {
    const { w, s } = await failedBack({ failbackDnsSeconds: 5000 });
    await expect(poll(pollPrimary, s, w, 'primary')).rejects.toThrow(
      "the site's name did not serve the live release from the primary within the RTO target (900 s after the failback write, 55 polls): the site may still be served from the standby; last poll: served by us-west-2 (198.51.100.2), not the primary us-east-1",
    );
  });

  test('the primary answering with another release is not failed back', async () => {
    const { w, s } = await failedBack({ primaryRelease: 'v41' });
    const once = await pollPrimary({ ...s }, w.deps);
    expect(once.primary).toEqual({
      done: false,
      attempts: 1,
      last: 'served by us-west-2 (198.51.100.2), not the primary us-east-1',
    });
    await expect(poll(pollPrimary, s, w, 'primary')).rejects.toThrow(
      'last poll: serves release v41, not the live release v42',
    );
  });

  test('Route 53 seeing the primary unhealthy is not failed back, even when the name answers from it', async () => {
    const { w, s } = await failedBack({ primaryRoute53Healthy: false });
    await expect(poll(pollPrimary, s, w, 'primary')).rejects.toThrow(
      'last poll: Route 53 health check hc-primary (us-east-1.www.example.com): 0 of 8 checkers healthy',
    );
  });

  test('a failback that did not validate is reported unvalidated, failed, and says the site may be on the standby', async () => {
    const { w, s } = await failedBack({ failbackDnsSeconds: 5000 });
    const err = (await poll(pollPrimary, s, w, 'primary').catch((e: Error) => e)) as Error;
    const report = await finish(
      { ...s, failbackError: { Error: 'DrillStepError', Cause: JSON.stringify({ errorMessage: err.message }) } },
      w.deps,
    );
    expect(report).toMatchObject({
      passed: false,
      failure: null,
      failback: { status: 'unvalidated', message: err.message },
      failbackTime: { measuredSeconds: null, withinTarget: null },
    });
    expect(report.findings).toEqual([
      "the site may still be served from the standby: the failback was written but the site's name did not serve the live release from the primary in time; follow docs/runbooks/drill.md#a-drill-failed",
    ]);
    expect(w.metrics.map((m) => [m.MetricName, m.Value])).toEqual([
      ['DrillPassed', 0],
      ['DrillMeasuredRtoSeconds', 210],
      ['DrillAchievedRpoSeconds', 45],
    ]);
  });

  test('pollPrimary without a failback in the state is a programming error, named', async () => {
    const { w, state } = begin();
    await expect(pollPrimary(state, w.deps)).rejects.toThrow(
      'pollPrimary: the state has no failback write: run failback first',
    );
  });
});

describe('the marker write', () => {
  test('a version id "null" (versioning suspended) is refused: no version to follow, history overwritten', async () => {
    const { w, state } = begin({ markerVersionId: 'null' });
    await expect(writeMarker(state, w.deps)).rejects.toThrow(
      'the primary site bucket site-primary returned the version id "null" for drill/marker.json: versioning is not enabled, so replication cannot carry the marker',
    );
  });
});
