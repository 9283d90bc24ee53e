import { compareKeys, type VersionEntry } from './versions';

/**
 * The restore planner: given a key's history and an instant, what (if anything) must be written so
 * that the key's current state equals its state at that instant. Pure: no I/O.
 *
 * The state of a key at instant T is its newest entry with LastModified <= T: absent if there is
 * none or it is a delete marker, else that version's content. The current state is the newest
 * entry overall.
 *
 * Same-instant rule: when a version and a delete marker of one key carry the same LastModified,
 * the listing cannot say which came first (the SDK splits them into two arrays). If one of them is
 * the latest, it is the newer. Otherwise the planner takes the version as the newer: restoring an
 * object that was deleted in that same second shows content that existed at T and can be deleted
 * again, whereas the opposite choice would take a page off the site.
 */
export type RestoreAction =
  | {
      readonly type: 'copy';
      readonly key: string;
      /** The version to make current again. */
      readonly sourceVersionId: string;
      readonly size: number;
      readonly etag?: string;
      /** The version that is current now (being replaced). */
      readonly currentVersionId: string;
      /** ETag and size of the current version as listed (absent when it is a delete marker). */
      readonly currentEtag?: string;
      readonly currentSize?: number;
    }
  | {
      readonly type: 'delete';
      readonly key: string;
      /** The version that is current now (hidden by a new delete marker). */
      readonly currentVersionId: string;
    };

/** How a key's current version relates to the target version, when they are different versions. */
export type Equivalence = (current: VersionEntry, target: VersionEntry) => boolean;

/**
 * Two different versions hold the same content when S3 gave them the same single-part ETag and size.
 * Multipart ETags (with a `-N` suffix) depend on how the object was cut into parts, so they are not
 * taken as proof here; such keys are settled by a restore ledger claim that the objects confirm
 * (see `ledgerClaimHolds` in executor.ts).
 */
export const sameSinglePartContent: Equivalence = (current, target) =>
  current.etag !== undefined &&
  current.etag === target.etag &&
  !isMultipartEtag(current.etag) &&
  current.size === target.size;

/** A multipart upload's ETag: the MD5 of the parts' MD5s, then `-<part count>`. */
export function isMultipartEtag(etag: string | undefined): boolean {
  return /^"?[0-9a-f]{32}-\d+"?$/i.test(etag ?? '');
}

/** Plan one key. `history` holds all its entries, newest first. */
export function planKey(
  history: readonly VersionEntry[],
  instant: Date,
  equivalent: Equivalence = sameSinglePartContent,
): RestoreAction | undefined {
  if (history.length === 0) return undefined;
  const current = history[0];
  const target = history.find((e) => e.lastModified.getTime() <= instant.getTime());
  const targetPresent = target !== undefined && !target.isDeleteMarker;
  const currentPresent = !current.isDeleteMarker;

  if (!targetPresent) {
    return currentPresent ? { type: 'delete', key: current.key, currentVersionId: current.versionId } : undefined;
  }
  if (currentPresent && (current.versionId === target.versionId || equivalent(current, target))) return undefined;
  return {
    type: 'copy',
    key: current.key,
    sourceVersionId: target.versionId,
    size: target.size ?? 0,
    etag: target.etag,
    currentVersionId: current.versionId,
    ...(currentPresent ? { currentEtag: current.etag, currentSize: current.size } : {}),
  };
}

/**
 * Streaming form of the planner: push entries in listing order (key ascending, newest first);
 * each time a key is complete, its action (if any) is emitted. Holds one key's history at a time,
 * so memory stays flat however large the bucket is, and a key split across pages is handled.
 */
export class StreamingPlanner {
  private history: VersionEntry[] = [];

  constructor(
    private readonly instant: Date,
    private readonly equivalent: Equivalence = sameSinglePartContent,
  ) {}

  /** The key whose history is still open (more of it may come on the next page). */
  get openKey(): string | undefined {
    return this.history[0]?.key;
  }

  /** Add one entry; returns the completed previous key's action, if any. */
  push(entry: VersionEntry): { completedKey?: string; action?: RestoreAction } {
    const open = this.openKey;
    if (open !== undefined && entry.key !== open) {
      // Stryker disable next-line EqualityOperator: entry.key !== open here, so compareKeys is never 0
      if (compareKeys(entry.key, open) < 0) throw new Error(`listing out of order: "${entry.key}" after "${open}"`);
      const action = planKey(this.history, this.instant, this.equivalent);
      this.history = [entry];
      return { completedKey: open, action };
    }
    this.history.push(entry);
    return {};
  }

  /** End of the listing: plan the last key. */
  finish(): { completedKey?: string; action?: RestoreAction } {
    const open = this.openKey;
    if (open === undefined) return {};
    const action = planKey(this.history, this.instant, this.equivalent);
    this.history = [];
    return { completedKey: open, action };
  }
}

/** Plan a whole listing at once (entries in listing order). For tests and small buckets. */
export function planRestore(
  entries: Iterable<VersionEntry>,
  instant: Date,
  equivalent: Equivalence = sameSinglePartContent,
): RestoreAction[] {
  const planner = new StreamingPlanner(instant, equivalent);
  const actions: RestoreAction[] = [];
  for (const entry of entries) {
    const { action } = planner.push(entry);
    if (action) actions.push(action);
  }
  const { action } = planner.finish();
  if (action) actions.push(action);
  return actions;
}
