import { z } from 'zod';
import { InputError } from '../../contract/errors';
import { describeIssue } from '../../contract/issues';
import type { TimelineEvent } from '../timeline';

export { DRILL_PREFIX, MARKER_KEY, REPORT_PREFIX } from '../../contract/drill';

/**
 * The state of one game-day drill as it travels through the drill state machine: every Lambda step
 * receives it and returns it with its own part added. Kept small (a few KB): Step Functions passes
 * at most 256 KiB between states, so the timeline holds milestones, never every poll.
 */

/** The computed worst cases of the posture report (lib/posture), passed in by drctl drill. */
export interface Budgets {
  readonly rtoSeconds: number;
  readonly rpoSeconds: number;
}

/** The execution input of the drill state machine. */
export interface DrillInput {
  readonly budgets: Budgets;
  /** Seconds between two polls of the site's name and of the marker (a Wait state of the machine). */
  readonly pollSeconds?: number;
}

const positive = z.number().positive('a number above 0');
const inputSchema = z.object({
  budgets: z.object({ rtoSeconds: positive, rpoSeconds: positive }),
  pollSeconds: z.number().int('a whole number').min(5, 'at least 5').max(300, 'at most 300').optional(),
});

/** Validate the execution input; one InputError lists every bad field with its value. */
export function parseDrillInput(input: unknown): DrillInput {
  const result = inputSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(input, issue));
  throw new InputError(`Invalid drill input:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** A poll loop's progress: `done` ends the loop (the machine's Choice reads it). */
export interface PollProgress {
  readonly done: boolean;
  readonly attempts: number;
  /** The last poll's observation, for the report when the deadline passes. */
  readonly last?: string;
}

export interface DrillState extends DrillInput {
  readonly drillId: string;
  readonly startedAt: string;
  readonly pollSeconds: number;
  /** Targets from the config (DR_DEPLOYMENT). */
  readonly targets: { readonly rtoSeconds: number; readonly rpoSeconds: number };
  readonly timeline: TimelineEvent[];
  /**
   * The readiness Lambda's reply, as the machine stored it at `$.readiness`: untrusted until the
   * failover step accepts it (readiness-gate.ts), which replaces it with the parsed report.
   */
  readonly readiness?: unknown;
  /** When the failover's switch metric was written: the RTO clock starts here. */
  readonly failover?: { readonly writtenAt: string; readonly confirmedAt: string };
  readonly recovery?: PollProgress & { readonly servedAt?: string; readonly rtoSeconds?: number };
  readonly marker?: { readonly key: string; readonly versionId: string; readonly writtenAt: string };
  readonly replication?: PollProgress & { readonly arrivedAt?: string; readonly rpoSeconds?: number };
  /**
   * The failback's switch result. `startedAt`: the failback's switch write (or, when the switch was
   * already back, the step's time): the time to fail back is measured from it.
   */
  readonly failback?: { readonly status: string; readonly message: string; readonly startedAt?: string };
  /** The polls after the failback: the site's name serving the live release from the primary again. */
  readonly primary?: PollProgress & { readonly servedAt?: string; readonly seconds?: number };
  /** Set by the machine's Catch (`Error`, `Cause`) when a step before the failback failed. */
  readonly failure?: { readonly Error: string; readonly Cause?: string };
  /** Set by the Catch of PollPrimary: the failback was written but did not validate in time. */
  readonly failbackError?: { readonly Error: string; readonly Cause?: string };
}

/** A drill step that did not reach its goal: the machine catches it, fails back and stops. */
export class DrillStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrillStepError';
  }
}

/**
 * The message of a caught Lambda error: Step Functions puts the function's error JSON
 * (`{"errorType","errorMessage","trace"}`) in `Cause`; other failures (a timeout, a service
 * error) have plain text or none.
 */
export function causeMessage(failure: DrillState['failure'] | DrillState['failbackError']): string {
  if (!failure) return 'no failure recorded';
  if (failure.Cause === undefined) return failure.Error;
  try {
    const parsed = JSON.parse(failure.Cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // plain text
  }
  return failure.Cause;
}
