import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListHealthChecksCommand } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { READINESS_CHECKS, type ReadinessReport } from '../../../lambda/contract/assurance';
import { CHECKS, publishReadiness, readinessMetricData, runReadiness } from '../../../lambda/lib/readiness/runner';
import { NOW, readyWorld } from './fixtures';

// A check that never answers must fail by the runner's deadline: a runner whose deadline never
// fires (a slip in it) fails these tests after 5 s instead of hanging them.
jest.setTimeout(5000);

/** Every command any check sent, by client. */
function sentCommands(world: ReturnType<typeof readyWorld>): string[] {
  const stubs = [
    world.mocks.route53,
    ...Object.values(world.mocks).flatMap((m) => ('primary' in m ? [m.primary, m.standby] : [])),
  ];
  return stubs.flatMap((stub) => stub.calls().map((call) => (call.args[0] as object).constructor.name));
}

describe('runReadiness', () => {
  test('a ready deployment: every check passes, in contract order, timestamped when the run started', async () => {
    const world = readyWorld();
    const report = await runReadiness(world.deps);
    expect(report.ready).toBe(true);
    expect(report.checkedAt).toBe('2026-11-30T06:00:00.000Z');
    // The drill refuses a reply about another app or region (lambda/lib/drill/readiness-gate.ts).
    expect([report.app, report.region]).toEqual(['portfolio', 'us-west-2']);
    expect(report.checks.map((c) => c.check)).toEqual([...READINESS_CHECKS]);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(Object.keys(CHECKS)).toEqual([...READINESS_CHECKS]);
  });

  test('strictly read-only: every call any check makes is a List, Get or Describe', async () => {
    const world = readyWorld();
    await runReadiness(world.deps);
    const sent = sentCommands(world);
    expect(new Set(sent)).toEqual(
      new Set([
        'ListHealthChecksCommand',
        'GetHealthCheckStatusCommand',
        'DescribeAlarmsCommand',
        'GetParameterCommand',
        'ListObjectsV2Command',
        'ListCertificatesCommand',
        'DescribeCertificateCommand',
        'ListRecoveryPointsByBackupVaultCommand',
        'GetBasePathMappingsCommand',
        'GetStageCommand',
      ]),
    );
    expect(sent.filter((name) => !/^(List|Get|Describe)/.test(name))).toEqual([]);
  });

  test('an API that fails fails only its check, with the error', async () => {
    const world = readyWorld();
    world.mocks.route53
      .on(ListHealthChecksCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const report = await runReadiness(world.deps);
    expect(report.ready).toBe(false);
    expect(report.checks[0]).toEqual({
      check: 'health-checks',
      ok: false,
      summary: 'could not check: ThrottlingException: Rate exceeded',
      details: { error: 'ThrottlingException: Rate exceeded' },
    });
    expect(report.checks.slice(1).every((c) => c.ok)).toBe(true);
  });

  test('a thrown non-Error is reported as an Error with its text', async () => {
    const world = readyWorld();
    const report = await runReadiness(world.deps, {
      checks: {
        ...CHECKS,
        certificates: () => Promise.reject('boom'),
      },
    });
    expect(report.checks.find((c) => c.check === 'certificates')).toEqual({
      check: 'certificates',
      ok: false,
      summary: 'could not check: Error: boom',
      details: { error: 'Error: boom' },
    });
  });

  test('a check whose API does not answer fails after the timeout; the others still report', async () => {
    const world = readyWorld();
    const started = Date.now();
    const report = await runReadiness(world.deps, {
      timeoutMs: 50,
      checks: { ...CHECKS, 'traffic-switch': () => new Promise(() => undefined) },
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.ready).toBe(false);
    expect(report.checks[1]).toEqual({
      check: 'traffic-switch',
      ok: false,
      summary: 'could not check: Error: no answer within 0.05 s',
      details: { error: 'Error: no answer within 0.05 s' },
    });
    expect(report.checks.filter((c) => !c.ok)).toHaveLength(1);
  });

  test('the clock defaults to the current time', async () => {
    const world = readyWorld();
    const before = Date.now();
    const report = await runReadiness({ ...world.deps, now: undefined }, { checks: passing() });
    expect(Date.parse(report.checkedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(report.checkedAt)).toBeLessThanOrEqual(Date.now());
  });

  test('each deadline is cleared once its check answers, and never holds the process open', async () => {
    // A Lambda or drctl process must not wait 60 s for the deadlines of checks that answered long ago.
    const setTimer = jest.spyOn(global, 'setTimeout');
    const clearTimer = jest.spyOn(global, 'clearTimeout');
    try {
      const world = readyWorld();
      await runReadiness(world.deps, { checks: passing() });
      const timers = setTimer.mock.results.map((r) => r.value as NodeJS.Timeout);
      expect(setTimer.mock.calls.filter((c) => c[1] === 60_000)).toHaveLength(READINESS_CHECKS.length);
      const deadlines = timers.filter((_, i) => setTimer.mock.calls[i][1] === 60_000);
      expect(deadlines.every((t) => !t.hasRef())).toBe(true);
      expect(deadlines.every((t) => clearTimer.mock.calls.some((c) => c[0] === t))).toBe(true);
    } finally {
      setTimer.mockRestore();
      clearTimer.mockRestore();
    }
  });

  test('the default timeout is 60 s', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const world = readyWorld();
      const pending = runReadiness(world.deps, {
        checks: { ...passing(), 'live-release': () => new Promise(() => undefined) },
      });
      await jest.advanceTimersByTimeAsync(59_999);
      let settled = false;
      void pending.then(() => (settled = true));
      await jest.advanceTimersByTimeAsync(0);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      // Settled now: with timers faked, jest's own test timeout cannot end a run that still waits.
      expect(settled).toBe(true);
      const report = await pending;
      expect(report.checks[3].summary).toBe('could not check: Error: no answer within 60 s');
    } finally {
      jest.useRealTimers();
    }
  });
});

function passing() {
  return Object.fromEntries(
    READINESS_CHECKS.map((name) => [name, async () => ({ check: name, ok: true, summary: 'fine', details: {} })]),
  ) as unknown as typeof CHECKS;
}

const report: ReadinessReport = {
  ready: false,
  checkedAt: NOW.toISOString(),
  app: 'portfolio',
  region: 'us-west-2',
  checks: [
    { check: 'health-checks', ok: true, summary: '', details: {} },
    { check: 'certificates', ok: false, summary: '', details: {} },
  ],
};

describe('readiness metrics', () => {
  test('one datum per check: 1 failed, 0 passed, dimension Check, at checkedAt', () => {
    expect(readinessMetricData(report)).toEqual([
      {
        MetricName: 'ReadinessCheckFailed',
        Dimensions: [{ Name: 'Check', Value: 'health-checks' }],
        Timestamp: NOW,
        Value: 0,
        Unit: 'Count',
      },
      {
        MetricName: 'ReadinessCheckFailed',
        Dimensions: [{ Name: 'Check', Value: 'certificates' }],
        Timestamp: NOW,
        Value: 1,
        Unit: 'Count',
      },
    ]);
  });

  test('published in one PutMetricData call to the assurance namespace', async () => {
    const cloudwatch = new CloudWatchClient({ region: 'us-west-2' });
    const mock = mockClient(cloudwatch);
    mock.on(PutMetricDataCommand).resolves({});
    await publishReadiness(cloudwatch, 'portfolio', report);
    expect(mock.calls()).toHaveLength(1);
    expect(mock.commandCalls(PutMetricDataCommand)[0].args[0].input).toEqual({
      Namespace: 'portfolio/DR-Assurance',
      MetricData: readinessMetricData(report),
    });
  });
});
