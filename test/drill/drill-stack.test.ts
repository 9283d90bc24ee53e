import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { READINESS_CHECKS } from '../../lambda/contract/assurance';
import { renderMarkdown, type DrillReport } from '../../lambda/lib/drill/report';
import { runDrillStep, type DrillEvent } from '../../lambda/lib/drill/run';
import { DrillStack } from '../../lib/drill/drill-stack';
import type { AlarmPager, Urgency } from '../../lib/shared/alarm-pager';
import { definitionOf, execute } from '../support/asl';
import { defaultConfigAsWritten } from '../support/config';
import { world, type WorldOptions } from '../support/drill-world';

const config = defaultConfigAsWritten(); // while loading: see defaultConfigAsWritten
const paged: [string, Urgency][] = [];
const pager: AlarmPager = {
  page: (alarm: cloudwatch.Alarm, urgency: Urgency) => void paged.push([alarm.node.id, urgency]),
};

function synth() {
  const app = new App();
  const stack = new DrillStack(app, 'Drill', {
    env: { account: config.account, region: config.regions.standby },
    config,
    siteBuckets: { primary: 'site-primary', standby: 'site-standby' },
    pager,
    code: lambda.Code.fromInline('exports.drill = async () => ({})'),
  });
  return { stack, template: Template.fromStack(stack) };
}

const { stack, template } = synth();
const definition = definitionOf(template);

/** The readiness Lambda's reply: every check of the contract passed, 30 s before the drill. */
const READY = {
  ready: true,
  checkedAt: '2026-11-28T09:59:30.000Z',
  app: 'portfolio',
  region: 'us-west-2',
  checks: READINESS_CHECKS.map((check) => ({ check, ok: true, summary: 'passed', details: {} })),
};

/**
 * Run the drill through the synthesized definition. `fault(name, attempt)` may throw in place of a
 * task (a Lambda error as Step Functions names it) after the step ran (`after: true`) or instead.
 */
async function drill(
  options: WorldOptions = {},
  readiness: unknown = READY,
  fault?: (name: string, attempt: number) => { error: Error; after: boolean } | undefined,
) {
  const w = world(options);
  const tasks: string[] = [];
  const execution = await execute(
    definition,
    { budgets: { rtoSeconds: 396, rpoSeconds: 960 } },
    async (name, input) => {
      tasks.push(name);
      const injected = fault?.(name, tasks.filter((t) => t === name).length);
      if (injected && !injected.after) throw injected.error;
      const out = name === 'Readiness' ? readiness : await runDrillStep(input as DrillEvent, w.deps);
      if (injected) throw injected.error;
      return out;
    },
    { wait: (s) => w.advance(s * 1000) },
  );
  return { w, execution, tasks };
}

const lambdaError = (name: string) => Object.assign(new Error(`${name} (injected)`), { name });
const writesOfSwitch = (w: ReturnType<typeof world>) =>
  w.cwMock
    .commandCalls(PutMetricDataCommand)
    .filter((c) => c.args[0].input.Namespace === 'portfolio/DR')
    .map((c) => c.args[0].input.MetricData?.[0].Value);

describe('the drill state machine', () => {
  test('starts with readiness by name, and every step up to the failback catches to Abort', () => {
    expect(definition.StartAt).toBe('Start');
    expect(definition.States.Start.Next).toBe('Readiness');
    // No Choice on the raw reply: the failover step accepts or refuses it (readiness-gate.ts).
    expect(definition.States.Readiness).toMatchObject({ ResultPath: '$.readiness', Next: 'Failover' });
    for (const state of ['Readiness', 'Failover', 'PollStandby', 'WriteMarker', 'PollMarker', 'Failback']) {
      expect(definition.States[state].Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Abort' },
      ]);
    }
    expect(definition.States.Abort.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'AbortFailed' }]);
    expect(definition.States['FailbackToValidate?']).toEqual({
      Type: 'Choice',
      Choices: [
        {
          Or: [
            { Variable: '$.failback.status', StringEquals: 'done' },
            { Variable: '$.failback.status', StringEquals: 'already' },
          ],
          Next: 'PollPrimary',
        },
      ],
      Default: 'Finish',
    });
    expect(definition.States.WaitForStandby).toEqual({
      Type: 'Wait',
      SecondsPath: '$.pollSeconds',
      Next: 'PollStandby',
    });
    const readinessArn = JSON.stringify(template.toJSON()).includes(':function:portfolio-readiness');
    expect(readinessArn).toBe(true);
  });

  test('both failbacks are validated: PollPrimary loops on its Wait, then Finish; a timeout goes to Finish as failbackError', () => {
    expect(definition.States.Failback.Next).toBe('PollPrimary');
    expect(definition.States.PollPrimary.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failbackError', Next: 'Finish' },
    ]);
    expect(definition.States['ServedByPrimary?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.primary.done', BooleanEquals: true, Next: 'Finish' }],
      Default: 'WaitForPrimary',
    });
    expect(definition.States.WaitForPrimary).toEqual({
      Type: 'Wait',
      SecondsPath: '$.pollSeconds',
      Next: 'PollPrimary',
    });
    expect(definition.States.Finish.Next).toBe('Passed?');
    expect(definition.States['Passed?'].Default).toBe('FailedBack?');
    expect(definition.States['FailedBack?'].Default).toBe('FailbackFailed');
    // Three polls end at their targets (2 x RTO 900 s, RPO 1800 s), plus an hour of switch waits.
    expect((definition as { TimeoutSeconds?: number }).TimeoutSeconds).toBe(2 * 900 + 1800 + 3600);
  });

  test('retries: throttles everywhere; Lambda service errors everywhere but on the failover, whose retry would refuse the drill', () => {
    const SERVICE = [
      'Lambda.ClientExecutionTimeoutException',
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
    ];
    const tasks = Object.entries(definition.States).filter(([, st]) => st.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(
      [
        'Abort',
        'Failback',
        'Failover',
        'Finish',
        'PollMarker',
        'PollPrimary',
        'PollStandby',
        'Readiness',
        'Start',
        'WriteMarker',
      ].sort(),
    );
    for (const [name, st] of tasks) {
      const errors = (st.Retry as { ErrorEquals: string[] }[]).map((r) => r.ErrorEquals);
      expect(st.Retry).toContainEqual({
        ErrorEquals: ['Lambda.TooManyRequestsException'],
        IntervalSeconds: 10,
        MaxAttempts: 6,
        BackoffRate: 2,
      });
      expect([name, errors.some((e) => e.includes('Lambda.ServiceException'))]).toEqual([name, name !== 'Failover']);
      if (name !== 'Failover') expect(errors).toContainEqual(SERVICE);
    }
  });

  test('is traced, logs every execution, and pages at high urgency when an execution fails or times out', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'portfolio-drill',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'portfolio-drill-failed',
      AlarmDescription: Match.stringLikeRegexp('Runbook: docs/runbooks/drill.md$'),
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(failed, 0) + FILL(timedOut, 0)' })]),
      TreatMissingData: 'notBreaching',
    });
    expect(paged).toEqual([['DrillFailedAlarm', 'high']]);
  });

  test('the drill Lambda may write the marker prefix of the primary only, read it in the standby, and report', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const s3Writes = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:Put')));
    expect(stack.resolve(s3Writes.map((s) => s.Resource))).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::site-primary/drill/*']] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Reports/), 'Arn'] }, '/drills/*']] },
    ]);
    expect(
      statements.some((s) =>
        [s.Action].flat().some((a: string) => /^s3:Delete|route53:Change|UpdateHealthCheck/.test(a)),
      ),
    ).toBe(false);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.drill',
      ReservedConcurrentExecutions: 1,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({ DR_DRILL_REPORT_BUCKET: { Ref: Match.stringLikeRegexp('^Reports') } }),
      },
    });
    expect(Stack.of(stack).region).toBe('us-west-2');
  });
});

describe('the drill end to end through the synthesized state machine, against mocked AWS', () => {
  test('passes: failover, the standby serves, the marker arrives, failback, the primary serves again; report and metrics', async () => {
    const { w, execution, tasks } = await drill();
    expect(execution.status).toBe('SUCCEEDED');
    expect(tasks).toEqual([
      'Start',
      'Readiness',
      'Failover',
      ...Array(9).fill('PollStandby'),
      'WriteMarker',
      ...Array(4).fill('PollMarker'),
      'Failback',
      ...Array(9).fill('PollPrimary'),
      'Finish',
    ]);
    const report = execution.output as DrillReport;
    expect(report).toMatchObject({
      passed: true,
      rto: { measuredSeconds: 210 },
      rpo: { measuredSeconds: 45 },
      failbackTime: { measuredSeconds: 210, withinTarget: true },
    });
    expect(w.switchState()).toBe('OK');
    expect(w.metrics.map((m) => m.MetricName)).toEqual([
      'DrillPassed',
      'DrillMeasuredRtoSeconds',
      'DrillAchievedRpoSeconds',
    ]);
  });

  test('a step that times out stops the drill, fails back, validates the failback and ends in DrillFailed', async () => {
    const { w, execution } = await drill({ dnsSeconds: 5000, failbackDnsSeconds: 60 });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DrillFailed');
    expect(execution.cause).toBe(
      'The drill failed (drill-20261128T100000Z); traffic is on the primary (failback done); the report is s3://drill-reports/drills/drill-20261128T100000Z/report.md',
    );
    const afterAbort = execution.path.slice(execution.path.indexOf('Abort'));
    expect(afterAbort.slice(0, 4)).toEqual(['Abort', 'FailbackToValidate?', 'PollPrimary', 'ServedByPrimary?']);
    expect(afterAbort.slice(-6)).toEqual([
      'PollPrimary',
      'ServedByPrimary?',
      'Finish',
      'Passed?',
      'FailedBack?',
      'DrillFailed',
    ]);
    expect(w.switchState()).toBe('OK');
    expect(w.metrics.map((m) => [m.MetricName, m.Value])).toEqual([['DrillPassed', 0]]);
  });

  test("the abort's failback not validating either ends in FailbackFailed: the site may still be on the standby", async () => {
    const { execution } = await drill({ dnsSeconds: 5000 });
    expect(execution.error).toBe('FailbackFailed');
    expect(execution.cause).toContain('(unvalidated: the site');
  });

  test('a failback that fails ends in FailbackFailed, naming why, with the report written', async () => {
    const { w, execution } = await drill({ primaryHealthy: false });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('FailbackFailed');
    expect(execution.cause).toBe(
      'The drill failed and its failback did not complete (refused: failback refused: the primary is not healthy (https://us-east-1.www.example.com/healthz: HTTP 503)): traffic may still be on the standby; see docs/runbooks/drill.md',
    );
    expect(execution.path.slice(-7)).toEqual([
      'Failback',
      'Abort',
      'FailbackToValidate?',
      'Finish',
      'Passed?',
      'FailedBack?',
      'FailbackFailed',
    ]);
    expect(w.switchState()).toBe('ALARM');
    expect(w.puts.map((p) => p.key)).toContain('drills/drill-20261128T100000Z/report.md');
  });

  test('a failback whose DNS never follows fails the drill at the RTO target and pages (FailbackFailed)', async () => {
    const { w, execution, tasks } = await drill({ failbackDnsSeconds: 5000 });
    expect(execution.error).toBe('FailbackFailed');
    expect(execution.cause).toBe(
      "The drill failed and its failback did not complete (unvalidated: the site's name did not serve the live release from the primary within the RTO target (900 s after the failback write, 55 polls): the site may still be served from the standby; last poll: served by us-west-2 (198.51.100.2), not the primary us-east-1): traffic may still be on the standby; see docs/runbooks/drill.md",
    );
    expect(tasks.slice(-2)).toEqual(['PollPrimary', 'Finish']);
    expect(w.switchState()).toBe('OK');
    const report = JSON.parse(w.puts.find((p) => p.key.endsWith('report.json'))!.body) as DrillReport;
    expect(report).toMatchObject({ passed: false, failback: { status: 'unvalidated' } });
    expect(report.findings[0]).toMatch(/^the site may still be served from the standby: /);
    expect(report.timeline.at(-2)?.event).toBe(
      'failback did not validate: the site may still be served from the standby',
    );
  });

  test('the primary serving another release after failback fails the drill', async () => {
    const { execution } = await drill({ primaryRelease: 'v41' });
    expect(execution.error).toBe('FailbackFailed');
    expect(execution.cause).toContain('last poll: serves release v41, not the live release v42');
  });

  test('Route 53 seeing the primary unhealthy after failback fails the drill', async () => {
    const { execution } = await drill({ primaryRoute53Healthy: false });
    expect(execution.error).toBe('FailbackFailed');
    expect(execution.cause).toContain(
      'last poll: Route 53 health check hc-primary (us-east-1.www.example.com): 0 of 8 checkers healthy',
    );
  });

  test('readiness failing stops the drill before any failover', async () => {
    const notReady = {
      ...READY,
      ready: false,
      checks: READY.checks.map((c) =>
        c.check === 'certificates' ? { ...c, ok: false, summary: 'expires in 9 days' } : c,
      ),
    };
    const { w, execution, tasks } = await drill({}, notReady);
    expect(execution.error).toBe('DrillFailed');
    expect(tasks).toEqual(['Start', 'Readiness', 'Failover', 'Abort', 'Finish']);
    expect(writesOfSwitch(w)).toEqual([]);
    expect(w.switchState()).toBe('OK');
    const report = JSON.parse(w.puts.find((p) => p.key.endsWith('report.json'))!.body) as DrillReport;
    expect(report.failure?.message).toBe(
      'readiness refused, the drill moved no traffic: check certificates failed: expires in 9 days',
    );
  });

  test.each([
    [
      'a Lambda error object',
      { errorMessage: 'Task timed out' },
      'malformed reply: ready: missing, expected true or false',
    ],
    ['ready: true without its checks', { ...READY, checks: [] }, 'the reply lacks the checks health-checks'],
    ['a stale reply', { ...READY, checkedAt: '2026-11-28T09:30:00.000Z' }, 'the reply is 1800 s old'],
  ])('%s is refused before any failover, with a report', async (_name, reply, reason) => {
    const { w, execution } = await drill({}, reply);
    expect(execution.error).toBe('DrillFailed');
    expect(writesOfSwitch(w)).toEqual([]);
    const report = JSON.parse(w.puts.find((p) => p.key.endsWith('report.json'))!.body) as DrillReport;
    expect(report.failure?.error).toBe('ReadinessRefused');
    expect(report.failure?.message).toContain(reason);
    expect(report.failback?.status).toBe('not-needed');
  });

  test('a Lambda service error after the failover wrote the switch fails back; a retry would have refused the drill', async () => {
    const { w, execution } = await drill({}, READY, (name, attempt) =>
      name === 'Failover' && attempt === 1 ? { error: lambdaError('Lambda.ServiceException'), after: true } : undefined,
    );
    expect(execution.error).toBe('DrillFailed');
    expect(writesOfSwitch(w)).toEqual([1, 0]);
    expect(w.switchState()).toBe('OK');
    const report = JSON.parse(w.puts.find((p) => p.key.endsWith('report.json'))!.body) as DrillReport;
    expect(report.failure?.error).toBe('Lambda.ServiceException');
    expect(report.failback?.status).toBe('done');
  });

  test('the readiness Lambda failing (no reply at all) stops the drill with nothing to fail back', async () => {
    const { w, execution, tasks } = await drill({}, READY, (name) =>
      name === 'Readiness' ? { error: lambdaError('Lambda.Unknown'), after: false } : undefined,
    );
    expect(execution.error).toBe('DrillFailed');
    expect(tasks).toEqual(['Start', 'Readiness', 'Abort', 'Finish']);
    expect(writesOfSwitch(w)).toEqual([]);
    const report = JSON.parse(w.puts.find((p) => p.key.endsWith('report.json'))!.body) as DrillReport;
    expect(report.timeline.map((e) => e.event)).toContain('readiness did not answer: the drill did not start');
    expect(report.failback?.status).toBe('not-needed');
  });

  test('a throttled step (reserved concurrency 1) is retried, not aborted', async () => {
    const { execution, tasks } = await drill({}, READY, (name, attempt) =>
      name === 'Failover' && attempt === 1
        ? { error: lambdaError('Lambda.TooManyRequestsException'), after: false }
        : undefined,
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(tasks.slice(2, 4)).toEqual(['Failover', 'Failover']);
  });

  test('the Route 53 API not answering fails the drill at the RTO target and fails back', async () => {
    const { execution } = await drill({
      route53Error: Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
    });
    // Its failback cannot be validated either (Route 53 still does not answer): traffic may be on the standby.
    expect(execution.error).toBe('FailbackFailed');
    expect(execution.cause).toContain('last poll: Route 53 did not answer: TimeoutError: socket hang up');
  });

  test('the committed example report is what this drill produces (docs/drills/example-report.*)', async () => {
    const { execution } = await drill();
    const report = execution.output as DrillReport;
    const label =
      'Example produced by test/drill/drill-stack.test.ts: the drill run end to end through the synthesized state machine against mocked AWS (simulated clock, switch alarm, DNS, Route 53 and replication), not against a deployment.';
    const dir = path.join(__dirname, '..', '..', 'docs', 'drills');
    // Both as prettier writes them (npm run lint checks docs/ too): renderMarkdown pads tables.
    const markdown = renderMarkdown(report, label);
    const json = `${JSON.stringify({ label, report }, null, 2)}\n`;
    if (process.env.UPDATE_DRILL_EXAMPLE === '1') {
      fs.writeFileSync(path.join(dir, 'example-report.md'), markdown);
      fs.writeFileSync(path.join(dir, 'example-report.json'), json);
    }
    expect(fs.readFileSync(path.join(dir, 'example-report.md'), 'utf8')).toBe(markdown);
    expect(fs.readFileSync(path.join(dir, 'example-report.json'), 'utf8')).toBe(json);
  });
});
