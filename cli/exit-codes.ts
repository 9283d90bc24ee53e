import { CommanderError } from 'commander';
import { InputError } from '../lambda/contract/errors';

/** drctl exit codes. */
export const EXIT = {
  /** Done; for checks, everything passed. */
  OK: 0,
  /** The command ran and failed, or a check found a problem. */
  FAILED: 1,
  /** Bad usage or bad input: nothing was done. */
  USAGE: 2,
} as const;

/** An error in the operator's command line; drctl prints the message and exits 2. */
export class UsageError extends InputError {}

/**
 * The one place that maps an error escaping a command to drctl's exit code: bad usage (commander)
 * and bad input are the operator's to fix (2). Every layer's input error (ConfigError,
 * RestoreInputError, ReleaseInputError, DeploymentError, UsageError) derives from the contract's
 * InputError, so a new one needs no change here. Anything else is not mapped (undefined): the
 * command failed (1).
 */
export function exitCodeOf(err: unknown): number | undefined {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  if (err instanceof InputError) return EXIT.USAGE;
  return undefined;
}
