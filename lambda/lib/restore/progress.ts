import type { Failure } from './executor';
import type { RestoreAction } from './planner';

export interface RestoreTotals {
  /** Versions and delete markers listed. */
  entries: number;
  /** Keys examined. */
  keys: number;
  copies: number;
  deletes: number;
  bytesCopied: number;
  /**
   * Copies not needed because the ledger claims the current version is a copy of the target and
   * the listed objects confirm it (same version, size and ETag).
   */
  settledByLedger: number;
  /** Ledger claims the objects contradict (a forged or stale ledger): the key was copied anyway. */
  ledgerClaimsRejected: number;
  /**
   * Keys that could not be restored, in this invocation and the earlier ones of the same restore
   * (carried by the checkpoint): a restore that resumed after failures still ends "failed".
   */
  failed: number;
}

/**
 * Failures kept in a checkpoint and in `failureSample`. Step Functions passes at most 256 KiB
 * (262,144 bytes of UTF-8) between states, and the loop carries the checkpoint in every state; ten
 * failures with 1,024-byte keys (S3's maximum) and cut messages stay under 15 KiB.
 */
export const FAILURE_SAMPLE_SIZE = 10;
export const FAILURE_MESSAGE_CHARS = 200;

const zeroTotals = (): RestoreTotals => ({
  entries: 0,
  keys: 0,
  copies: 0,
  deletes: 0,
  bytesCopied: 0,
  settledByLedger: 0,
  ledgerClaimsRejected: 0,
  failed: 0,
});

/** What a restore has counted so far, resumed from a checkpoint's totals and failure sample. */
export interface ResumedFrom {
  readonly totals?: Partial<RestoreTotals>;
  readonly failureSample?: readonly Failure[];
}

/**
 * The counts, failures and sample of one restore invocation. `restart` puts it back to what the
 * checkpoint carried (the second pass starts from there; nothing was executed in the first).
 */
export class RestoreProgress {
  readonly totals: RestoreTotals = zeroTotals();
  /** Every failure of this invocation. */
  readonly failures: Failure[] = [];
  /** The first failures of the whole restore (messages cut), across resumed invocations. */
  readonly failureSample: Failure[] = [];
  /** The first planned actions, for people to read. */
  readonly sample: RestoreAction[] = [];

  constructor(
    private readonly resumedFrom: ResumedFrom | undefined,
    private readonly sampleSize: number,
  ) {
    this.restart();
  }

  /** Back to the checkpoint's totals and failure sample, with an empty action sample. */
  restart(): void {
    // A checkpoint written before `failed` existed counts none.
    Object.assign(this.totals, zeroTotals(), this.resumedFrom?.totals);
    this.failures.length = 0;
    this.failureSample.splice(0, Infinity, ...(this.resumedFrom?.failureSample ?? []).slice(0, FAILURE_SAMPLE_SIZE));
    this.sample.length = 0;
  }

  fail(failure: Failure): void {
    this.failures.push(failure);
    this.totals.failed++;
    if (this.failureSample.length < FAILURE_SAMPLE_SIZE) {
      const message =
        failure.message.length > FAILURE_MESSAGE_CHARS
          ? `${failure.message.slice(0, FAILURE_MESSAGE_CHARS - 1)}…`
          : failure.message;
      this.failureSample.push({ ...failure, message });
    }
  }

  /** Keeps the action for people to read while the sample has room. */
  noteAction(action: RestoreAction): void {
    if (this.sample.length < this.sampleSize) this.sample.push(action);
  }
}
