import { Command } from 'commander';
import { type Direction, flipTrafficSwitch } from '../lambda/lib/traffic/switch';
import { failbackBlockers } from '../lambda/lib/traffic/readiness';
import { withApply, withCommonOptions } from './common-options';
import { deploymentContext, type DeploymentFlags, withConfigOption } from './deployment-context';
import { EXIT } from './exit-codes';
import { parseWholeSeconds } from './option-parsers';
import { bar, Output } from './output';

interface SwitchFlags extends DeploymentFlags {
  readonly apply?: boolean;
  readonly wait: number;
}

const DESCRIPTIONS: Record<Direction, string> = {
  failover:
    'Force traffic to the standby region by flipping the data-plane traffic switch (a metric in the standby region; no Route 53 API call). Idempotent; waits until the switch alarm confirms.',
  failback:
    'Send traffic back to the primary: first checks that the primary is healthy and its content matches the standby, then flips the switch back. Idempotent; waits until the switch alarm confirms.',
};

/** `drctl failover` and `drctl failback`. */
export function trafficCommand(direction: Direction): Command {
  const command = new Command(direction)
    .description(DESCRIPTIONS[direction])
    .option('--wait <seconds>', 'how long to wait for the alarm to confirm', parseWholeSeconds, 300);
  return withApply(withConfigOption(withCommonOptions(command))).action(async (flags: SwitchFlags) => {
    const out = new Output(flags.json === true);
    const ctx = deploymentContext(flags);
    const sw = ctx.deployment.trafficSwitch;
    out.say(`${direction} ${flags.apply ? '' : '(dry run) '}through ${sw.alarmName} in ${sw.region}`);
    const result = await flipTrafficSwitch(
      { direction, apply: flags.apply === true, waitSeconds: flags.wait },
      {
        cloudwatch: ctx.cloudwatch.standby,
        deployment: ctx.deployment,
        failbackBlockers: () => failbackBlockers(ctx.deployment, { ssm: ctx.ssm, s3: ctx.s3 }),
        pollSeconds: 10,
        onWait: (waited, allowed) =>
          out.progress(`waiting for ${sw.alarmName} to confirm ${bar(waited, allowed)} ${Math.round(waited)} s`),
      },
    );
    out.endProgress();
    out.say(`${result.status}: ${result.message}`);
    for (const b of result.blockers) out.error(`  blocker: ${b}`);
    out.result(result);
    process.exitCode = ['done', 'already', 'planned'].includes(result.status) ? EXIT.OK : EXIT.FAILED;
  });
}
