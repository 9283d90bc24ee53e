import { Command, CommanderError } from 'commander';
import { postureCommand } from './posture-command';
import { preflightCommand } from './preflight-command';
import { restoreCommand } from './restore-command';
import { verifyReplicationCommand } from './verify-replication-command';
import { publishReleaseCommand, rollbackReleaseCommand } from './release-commands';
import { readinessCommand } from './readiness-command';
import { statusCommand } from './status-command';
import { trafficCommand } from './traffic-commands';
import { drillCommand } from './drill-command';
import { EXIT, exitCodeOf } from './exit-codes';

/**
 * drctl: the operator's command line. Every command is a thin front door to the playbook library in lambda/lib/;
 * exit codes are 0 done, 1 failed, 2 bad usage or input.
 */
export function buildProgram(): Command {
  const program = new Command('drctl')
    .description('Disaster-recovery operations for the portfolio site')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const commands = [
    preflightCommand(),
    statusCommand(),
    readinessCommand(),
    trafficCommand('failover'),
    trafficCommand('failback'),
    restoreCommand(),
    verifyReplicationCommand(),
    rollbackReleaseCommand(),
    publishReleaseCommand(),
    postureCommand(),
    drillCommand(),
  ];
  for (const command of commands) {
    // addCommand() does not pass these settings down: without them a subcommand's usage error
    // would call process.exit itself.
    command.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
    program.addCommand(command);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    const code = exitCodeOf(err);
    if (code === undefined) throw err;
    // commander has printed its own message already.
    if (!(err instanceof CommanderError)) {
      const command = argv[0] && !argv[0].startsWith('-') ? ` ${argv[0]}` : '';
      process.stderr.write(`drctl${command}: ${(err as Error).message}\n`);
    }
    return code;
  }
}

/** Entry point of bin/drctl.js: run with the process arguments and exit with the code. */
export function run(): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`drctl: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(EXIT.FAILED);
    },
  );
}
