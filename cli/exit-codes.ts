import { CommanderError } from 'commander';
import { ReleaseInputError } from '../lambda/lib/release';
import { RestoreInputError } from '../lambda/lib/restore/restore';
import { ConfigError } from '../lib/config';

/** drctl exit codes. */
export const EXIT = {
  /** Done; for checks, everything passed. */
  OK: 0,
  /** The command ran and failed, or a check found a problem. */
  FAILED: 1,
  /** Bad usage or bad input: nothing was done. */
  USAGE: 2,
} as const;

/** An error in the operator's input; drctl prints the message and exits 2. */
export class UsageError extends Error {}

/** Errors that mean "nothing was done: the operator's input is wrong". */
const INPUT_ERRORS = [UsageError, ConfigError, RestoreInputError, ReleaseInputError];

/**
 * The one place that maps an error escaping a command to drctl's exit code: bad usage (commander),
 * bad input and an unreadable or invalid config are the operator's to fix (2). Anything else is
 * not mapped (undefined): the command failed (1).
 */
export function exitCodeOf(err: unknown): number | undefined {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  if (INPUT_ERRORS.some((type) => err instanceof type)) return EXIT.USAGE;
  return undefined;
}
