import { Command } from 'commander';
import { readStatus, type Section } from '../lambda/lib/status';
import { withCommonOptions } from './common-options';
import { deploymentContext, type DeploymentFlags, withConfigOption } from './deployment-context';
import { EXIT } from './exit-codes';
import { Output } from './output';

function line<T>(name: string, s: Section<T>, render: (v: T) => string): string {
  return `${name.padEnd(22)} ${s.ok ? render(s.value!) : `unavailable (${s.error})`}`;
}

/** `drctl status`: which region serves, health, switch, replication lag, newest recovery point. */
export function statusCommand(): Command {
  const command = new Command('status').description(
    'Which region is serving, each health check, the traffic switch, replication lag against the RPO, and the newest recovery point. Each part degrades on its own when its API does not answer. Read-only.',
  );
  return withConfigOption(withCommonOptions(command)).action(async (flags: DeploymentFlags) => {
    const out = new Output(flags.json === true);
    const ctx = deploymentContext(flags);
    const report = await readStatus({ ...ctx, regions: { ssm: ctx.ssm, s3: ctx.s3 } });
    out.say(`DR status of ${ctx.deployment.domainName} at ${report.at}`);
    out.say(
      line(
        'serving region',
        report.serving,
        (v) => `${v.region ?? 'unknown'} (${v.role}), release ${v.release ?? 'unknown'}`,
      ),
    );
    out.say(
      line('regional /healthz', report.regionalHealth, (v) =>
        (['primary', 'standby'] as const)
          .map((r) => `${r} ${v[r].ok ? 'healthy' : `UNHEALTHY (${v[r].error})`}`)
          .join(', '),
      ),
    );
    out.say(
      line('Route 53 checks', report.route53HealthChecks, (v) =>
        v.length === 0
          ? 'none found'
          : v.map((c) => `${c.target} ${c.healthy}/${c.checkers} checkers healthy`).join(', '),
      ),
    );
    out.say(line('traffic switch', report.trafficSwitch, (v) => `${v.state} (${v.position})`));
    out.say(
      line('replication lag', report.replicationLag, (v) =>
        v.maxSeconds === null
          ? 'no data in 15 min (no writes)'
          : `max ${v.maxSeconds} s vs RPO ${v.rpoSeconds} s${v.withinRpo ? '' : ' EXCEEDED'}`,
      ),
    );
    out.say(
      line(
        'newest recovery point',
        report.newestRecoveryPoint,
        (v) => `primary ${v.primary ?? 'none'}, standby ${v.standby ?? 'none'}`,
      ),
    );
    out.result(report);
    const healthy =
      report.regionalHealth.ok && report.regionalHealth.value!.primary.ok && report.regionalHealth.value!.standby.ok;
    process.exitCode = healthy ? EXIT.OK : EXIT.FAILED;
  });
}
