import type { RestoreAction } from './planner';

/**
 * The gate that holds a restore's actions until the instant is validated. Pure: it sees the
 * listing's entry times and the planner's actions, and decides which actions may run.
 *
 * A restore must not write for an instant older than the bucket's history (it would delete keys
 * that existed at the instant but whose versions are gone). The instant is valid once one listed
 * entry was modified at or before it. Until then, planned actions are held, not run; the moment an
 * entry validates the instant, the held actions are released, in the order they were planned, and
 * later actions run as they come.
 *
 * Holding is bounded: at the end of a page, if the instant is still not validated and more than
 * `holdLimit` actions are held, the gate overflows: it drops what it held and admits nothing more.
 * The listing then only looks for a validating entry; if it finds one (`needsSecondPass`), the
 * restore lists again from the start with a gate that is validated from the outset.
 */
export class InstantGate {
  private held: RestoreAction[] = [];
  private ready: RestoreAction[] = [];
  private isValidated: boolean;
  private isOverflowed = false;
  private earliestSeen: Date | undefined;
  private readonly holdLimit: number;

  constructor(
    private readonly instant: Date,
    options: { readonly validated: boolean; readonly holdLimit: number },
  ) {
    this.isValidated = options.validated;
    this.holdLimit = options.holdLimit;
  }

  /** An entry at or before the instant has been seen (or the gate started validated). */
  get validated(): boolean {
    return this.isValidated;
  }

  /** More than `holdLimit` actions were held at a page end: they were dropped. */
  get overflowed(): boolean {
    return this.isOverflowed;
  }

  /** The instant is valid but the actions planned before were dropped: the listing must run again. */
  get needsSecondPass(): boolean {
    return this.isOverflowed && this.isValidated;
  }

  /** The oldest entry time seen (for the error when the instant is before all of them). */
  get earliest(): Date | undefined {
    return this.earliestSeen;
  }

  /**
   * Sees one listed entry's time, before its key's action (if any) is admitted. Returns true when
   * this entry validates the instant; the held actions are then released (unless the gate overflowed).
   */
  observe(lastModified: Date): boolean {
    if (!this.earliestSeen || lastModified < this.earliestSeen) this.earliestSeen = lastModified;
    if (this.isValidated || lastModified.getTime() > this.instant.getTime()) return false;
    this.isValidated = true;
    if (!this.isOverflowed) {
      this.ready.push(...this.held);
      this.held = [];
    }
    return true;
  }

  /** Offers a planned action: ready if validated, else held. False when the gate overflowed (dropped). */
  admit(action: RestoreAction): boolean {
    if (this.isOverflowed) return false;
    (this.isValidated ? this.ready : this.held).push(action);
    return true;
  }

  /** At the end of a page: overflow when still not validated and too much is held. */
  closePage(): void {
    if (!this.isValidated && this.held.length > this.holdLimit) {
      this.isOverflowed = true;
      this.held = [];
    }
  }

  /** The actions that may run now (and forgets them). */
  takeReady(): RestoreAction[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  /**
   * At the end of the listing: whatever is still held once the instant is validated (and forgets
   * it). Before validation nothing is released: the restore refuses the instant instead.
   */
  takeHeld(): RestoreAction[] {
    if (!this.isValidated) return [];
    const held = this.held;
    this.held = [];
    return held;
  }
}
