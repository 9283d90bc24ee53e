import * as fs from 'node:fs';
import * as path from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { drctl } from '../support/drctl';

const sfn = mockClient(SFNClient);
const example = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'drills', 'example-report.json'), 'utf8'),
).report;
const ARN = 'arn:aws:states:us-west-2:111111111111:stateMachine:portfolio-drill';
const budgets = ['--rto-budget', '396', '--rpo-budget', '960'];

beforeEach(() => sfn.reset());

describe('drctl drill', () => {
  test('without --apply prints the plan and calls no AWS API, even without credentials', async () => {
    const saved = { ...process.env };
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      delete process.env[k];
    process.env.AWS_CONFIG_FILE = '/nonexistent';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent';
    try {
      const { code, stdout } = await drctl('drill', ...budgets, '--json');
      expect(code).toBe(0);
      const plan = JSON.parse(stdout);
      expect(plan).toMatchObject({
        status: 'planned',
        stateMachineArn: expect.stringMatching(/^arn:aws:states:us-west-2:\d{12}:stateMachine:portfolio-drill$/),
        input: { budgets: { rtoSeconds: 396, rpoSeconds: 960 } },
        targets: { rtoSeconds: 900, rpoSeconds: 1800 },
      });
      expect(plan.steps).toHaveLength(9);
      expect(sfn.calls()).toHaveLength(0);
    } finally {
      process.env = saved;
    }
  });

  test('without budgets or a synthesized app it says how to get them', async () => {
    const { code, stderr } = await drctl('drill', '--cdk-out', '/nonexistent');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'drctl drill: --cdk-out "/nonexistent" holds no synthesized app (no manifest.json): run "npx cdk synth", or give both --rto-budget and --rpo-budget\n',
    );
  });

  test('--apply starts the state machine, follows it and prints the report', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:run-1`, startDate: new Date() });
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING', startDate: new Date() } as never)
      .resolves({ status: 'SUCCEEDED', output: JSON.stringify(example) } as never);
    const { code, stdout } = await drctl('drill', '--apply', ...budgets, '--poll', '1');
    expect(code).toBe(0);
    expect(stdout).toContain('# 2026-11-28: game-day drill drill-20261128T100000Z: PASSED');
    const start = sfn.commandCalls(StartExecutionCommand)[0].args[0].input;
    expect(start.stateMachineArn).toMatch(/:stateMachine:portfolio-drill$/);
    expect(JSON.parse(start.input!)).toEqual({ budgets: { rtoSeconds: 396, rpoSeconds: 960 } });
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(2);
  });

  test('--apply on a failed drill exits 1 with the error and cause', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:run-2`, startDate: new Date() });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error: 'FailbackFailed', cause: 'refused' } as never);
    const { code, stderr } = await drctl('drill', '--apply', ...budgets);
    expect(code).toBe(1);
    expect(stderr).toBe('drill FAILED: FailbackFailed: refused\n');
  });

  test('--apply refuses while another drill runs', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: `${ARN}:other`,
          stateMachineArn: ARN,
          name: 'other',
          status: 'RUNNING',
          startDate: new Date('2026-11-28T10:00:00Z'),
        },
      ],
    });
    const { code, stderr } = await drctl('drill', '--apply', ...budgets);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `drctl drill: a drill is already running (${ARN}:other, started 2026-11-28T10:00:00.000Z); wait for it or stop it first\n`,
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
