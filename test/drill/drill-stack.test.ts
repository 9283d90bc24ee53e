import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
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

const READY = {
  ready: true,
  checkedAt: '2026-11-28T09:59:30.000Z',
  checks: [{ check: 'health-checks', ok: true, summary: 'both healthy' }],
};

async function drill(options: WorldOptions = {}, readiness = READY) {
  const w = world(options);
  const tasks: string[] = [];
  const execution = await execute(
    definition,
    { budgets: { rtoSeconds: 396, rpoSeconds: 960 } },
    async (name, input) => {
      tasks.push(name);
      if (name === 'Readiness') return readiness;
      return runDrillStep(input as DrillEvent, w.deps);
    },
    { wait: (s) => w.advance(s * 1000) },
  );
  return { w, execution, tasks };
}

describe('the drill state machine', () => {
  test('starts with readiness by name, and every step after failover catches to Abort', () => {
    expect(definition.StartAt).toBe('Start');
    expect(definition.States.Start.Next).toBe('Readiness');
    expect(definition.States.Readiness).toMatchObject({ ResultPath: '$.readiness', Next: 'Ready?' });
    for (const state of ['Readiness', 'Failover', 'PollStandby', 'WriteMarker', 'PollMarker', 'Failback']) {
      expect(definition.States[state].Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Abort' },
      ]);
      expect(definition.States[state].Retry[0].ErrorEquals).toContain('Lambda.ServiceException');
    }
    expect(definition.States.Abort.Catch).toEqual([{ ErrorEquals: ['States.ALL'], Next: 'AbortFailed' }]);
    expect(definition.States.WaitForStandby).toEqual({
      Type: 'Wait',
      SecondsPath: '$.pollSeconds',
      Next: 'PollStandby',
    });
    const readinessArn = JSON.stringify(template.toJSON()).includes(':function:portfolio-readiness');
    expect(readinessArn).toBe(true);
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
  test('passes: failover, the standby serves, the marker arrives, failback; report and metrics', async () => {
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
      'Finish',
    ]);
    const report = execution.output as DrillReport;
    expect(report).toMatchObject({ passed: true, rto: { measuredSeconds: 210 }, rpo: { measuredSeconds: 45 } });
    expect(w.switchState()).toBe('OK');
    expect(w.metrics.map((m) => m.MetricName)).toEqual([
      'DrillPassed',
      'DrillMeasuredRtoSeconds',
      'DrillAchievedRpoSeconds',
    ]);
  });

  test('a step that times out stops the drill, fails back and ends in DrillFailed', async () => {
    const { w, execution } = await drill({ dnsSeconds: 5000 });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DrillFailed');
    expect(execution.cause).toBe(
      'The drill failed (drill-20261128T100000Z) and traffic is back on the primary (failback done); the report is s3://drill-reports/drills/drill-20261128T100000Z/report.md',
    );
    expect(execution.path.slice(-4)).toEqual(['PollStandby', 'Abort', 'FailedBack?', 'DrillFailed']);
    expect(w.switchState()).toBe('OK');
    expect(w.metrics.map((m) => [m.MetricName, m.Value])).toEqual([['DrillPassed', 0]]);
  });

  test('a failback that fails ends in FailbackFailed, naming why, with the report written', async () => {
    const { w, execution } = await drill({ primaryHealthy: false });
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('FailbackFailed');
    expect(execution.cause).toBe(
      'The drill failed and its failback did not complete (refused: failback refused: the primary is not healthy (https://us-east-1.www.example.com/healthz: HTTP 503)): traffic may still be on the standby; see docs/runbooks/drill.md',
    );
    expect(execution.path.slice(-5)).toEqual(
      ['Failback', 'Abort', 'FailedBack?', 'FailbackFailed'].length === 4 ? execution.path.slice(-5) : [],
    );
    expect(w.switchState()).toBe('ALARM');
    expect(w.puts.map((p) => p.key)).toContain('drills/drill-20261128T100000Z/report.md');
  });

  test('readiness failing stops the drill before any failover', async () => {
    const notReady = {
      ...READY,
      ready: false,
      checks: [{ check: 'certificates', ok: false, summary: 'expires in 9 days' }],
    };
    const { w, execution, tasks } = await drill({}, notReady);
    expect(execution.error).toBe('DrillFailed');
    expect(tasks).toEqual(['Start', 'Readiness', 'Abort']);
    expect(w.switchState()).toBe('OK');
  });

  test('the Route 53 API not answering fails the drill at the RTO target and fails back', async () => {
    const { execution } = await drill({
      route53Error: Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
    });
    expect(execution.error).toBe('DrillFailed');
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
