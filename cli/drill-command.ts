import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { Command, Option } from 'commander';
import { READINESS_MAX_AGE_SECONDS } from '../lambda/contract/readiness-report';
import type { DrillReport } from '../lambda/lib/drill/report';
import { renderMarkdown } from '../lambda/lib/drill/report';
import { type Budgets, parseDrillInput } from '../lambda/lib/drill/state';
import { loadConfig } from '../lib/config';
import { deploymentOf } from '../lib/shared/deployment';
import { Names } from '../lib/shared/naming';
import { awsOptions, withApply, withCommonOptions } from './common-options';
import { type DeploymentFlags, withConfigOption } from './deployment-context';
import { EXIT, UsageError } from './exit-codes';
import { parseWholeSeconds } from './option-parsers';
import { Output } from './output';

interface DrillFlags extends DeploymentFlags {
  readonly apply?: boolean;
  readonly cdkOut: string;
  readonly rtoBudget?: number;
  readonly rpoBudget?: number;
  readonly poll: number;
}

/** The partition of a region's ARNs. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The computed budgets: the largest worst case of each objective in the posture report of cdk.out
 * (the synth-time check's numbers), unless both are given on the command line.
 */
function budgetsOf(flags: DrillFlags): Budgets {
  if (flags.rtoBudget !== undefined && flags.rpoBudget !== undefined) {
    return { rtoSeconds: flags.rtoBudget, rpoSeconds: flags.rpoBudget };
  }
  if (!fs.existsSync(path.join(flags.cdkOut, 'manifest.json'))) {
    throw new UsageError(
      `--cdk-out "${flags.cdkOut}" holds no synthesized app (no manifest.json): run "npx cdk synth", or give both --rto-budget and --rpo-budget`,
    );
  }
  // Loaded on use, as drctl posture does: synth-side code that reads cdk.out.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadAssembly } = require('../lib/posture/assembly') as typeof import('../lib/posture/assembly');
  const { buildPostureReport } = require('../lib/posture/report') as typeof import('../lib/posture/report');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const lines = buildPostureReport(loadAssembly(flags.cdkOut)).objectives.filter((o) => o.targetMinutes !== null);
  const worst = (objective: string) =>
    Math.max(0, ...lines.filter((o) => o.objective === objective).map((o) => o.worstCaseSeconds));
  return { rtoSeconds: flags.rtoBudget ?? worst('RTO'), rpoSeconds: flags.rpoBudget ?? worst('RPO') };
}

const STEPS = [
  `readiness: invoke the readiness Lambda by name in the standby region; fail over only on a reply that parses, is at most ${READINESS_MAX_AGE_SECONDS} s old, is about this app and standby region, and has every check present and passed`,
  'failover: put 1 to the traffic switch metric; wait for the switch alarm',
  "recover: poll the site's name (fresh DNS and TLS each time) until the standby answers /healthz with the live release and Route 53 sees the standby healthy; RTO = switch write to that poll; fail past the RTO target",
  'marker: put drill/marker.json in the primary site bucket (one key, overwritten each drill, never deleted)',
  "replicate: poll the standby site bucket for the marker's version; RPO = write to arrival; fail past the RPO target",
  'failback: the failback playbook with its validations (primary healthy, content in sync)',
  "validate the failback: poll the site's name until the primary answers /healthz with the live release and Route 53 sees the primary healthy; time to fail back = failback write to that poll; past the RTO target the drill fails and pages (the site may still be served from the standby)",
  'report: JSON and Markdown to the report bucket, metrics DrillPassed, DrillMeasuredRtoSeconds, DrillAchievedRpoSeconds',
  'on any failure: fail back if the failover was attempted and validate that failback, report, end failed (the drill-failed alarm pages)',
];

/** `drctl drill`: the game-day drill. Without --apply, the plan, offline; with it, run and follow the state machine. */
export function drillCommand(): Command {
  const command = new Command('drill')
    .description(
      'Game-day drill: force failover, measure the real RTO and RPO, fail back, report. Without --apply prints the plan and calls no AWS API; with --apply starts the drill state machine in the standby region and follows it.',
    )
    .option('--cdk-out <dir>', 'the synthesized app, for the computed budgets (the posture report)', 'cdk.out')
    .addOption(
      new Option('--rto-budget <seconds>', 'the computed RTO budget, instead of reading cdk.out').argParser(
        parseWholeSeconds,
      ),
    )
    .addOption(
      new Option('--rpo-budget <seconds>', 'the computed RPO budget, instead of reading cdk.out').argParser(
        parseWholeSeconds,
      ),
    )
    .option('--poll <seconds>', 'how often to read the execution', parseWholeSeconds, 15);
  return withApply(withConfigOption(withCommonOptions(command))).action(async (flags: DrillFlags) => {
    const out = new Output(flags.json === true);
    const config = loadConfig(flags.config);
    const deployment = deploymentOf(config);
    const region = deployment.regions.standby;
    const stateMachineArn = `arn:${partitionOf(region)}:states:${region}:${config.account}:stateMachine:${new Names(config).drillStateMachine}`;
    const input = parseDrillInput({ budgets: budgetsOf(flags) });
    const plan = {
      stateMachineArn,
      input,
      targets: { rtoSeconds: deployment.rtoMinutes * 60, rpoSeconds: deployment.rpoMinutes * 60 },
      steps: STEPS,
    };
    if (!flags.apply) {
      out.say(`drill plan (dry run: nothing is called) for ${deployment.appName}, state machine ${stateMachineArn}`);
      out.say(
        `targets: RTO ${plan.targets.rtoSeconds} s, RPO ${plan.targets.rpoSeconds} s; budgets: RTO ${input.budgets.rtoSeconds} s, RPO ${input.budgets.rpoSeconds} s`,
      );
      STEPS.forEach((s, i) => out.say(`  ${i + 1}. ${s}`));
      out.say('run with --apply to start it');
      out.result({ status: 'planned', ...plan });
      process.exitCode = EXIT.OK;
      return;
    }

    const sfn = new SFNClient({ ...awsOptions(flags), region });
    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }),
    );
    const other = running.executions?.[0];
    if (other) {
      out.error(
        `drctl drill: a drill is already running (${other.executionArn}, started ${other.startDate?.toISOString()}); wait for it or stop it first`,
      );
      process.exitCode = EXIT.FAILED;
      return;
    }
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    out.say(`drill started: ${started.executionArn}`);
    let execution: DescribeExecutionCommandOutput;
    for (;;) {
      execution = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') break;
      out.progress(`drill ${execution.status} since ${execution.startDate?.toISOString()}`);
      await new Promise<void>((r) => setTimeout(r, flags.poll * 1000));
    }
    out.endProgress();
    if (execution.status === 'SUCCEEDED' && execution.output) {
      const report = JSON.parse(execution.output) as DrillReport;
      out.say(renderMarkdown(report));
      out.result({ status: execution.status, executionArn: started.executionArn, report });
      process.exitCode = report.passed ? EXIT.OK : EXIT.FAILED;
      return;
    }
    out.error(`drill ${execution.status}: ${execution.error ?? ''}: ${execution.cause ?? ''}`);
    out.result({
      status: execution.status,
      executionArn: started.executionArn,
      error: execution.error,
      cause: execution.cause,
    });
    process.exitCode = EXIT.FAILED;
  });
}
