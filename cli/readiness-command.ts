import { Command } from 'commander';
import { runReadiness } from '../lambda/lib/readiness/runner';
import { withCommonOptions } from './common-options';
import { deploymentContext, type DeploymentFlags, withConfigOption } from './deployment-context';
import { EXIT } from './exit-codes';
import { Output } from './output';

/** `drctl readiness`: can the standby take traffic now? The scheduled readiness Lambda's checks, run locally. */
export function readinessCommand(): Command {
  const command = new Command('readiness').description(
    'Can the standby take traffic now? Runs the readiness checks (health checks, traffic switch, replication drift, live release in both regions, certificate expiry, newest recovery point, hosting settings), each on its own. Read-only. Exit 0 when ready, 1 when a check fails.',
  );
  return withConfigOption(withCommonOptions(command)).action(async (flags: DeploymentFlags) => {
    const out = new Output(flags.json === true);
    const ctx = deploymentContext(flags);
    const report = await runReadiness(ctx);
    out.say(`Readiness of ${ctx.deployment.domainName} at ${report.checkedAt}`);
    for (const c of report.checks) out.say(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check.padEnd(18)} ${c.summary}`);
    out.say(
      report.ready
        ? 'Ready: the standby can take traffic.'
        : 'NOT READY: see docs/runbooks/readiness.md for each failed check.',
    );
    out.result(report);
    process.exitCode = report.ready ? EXIT.OK : EXIT.FAILED;
  });
}
