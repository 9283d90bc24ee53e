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
