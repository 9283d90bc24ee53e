import type { Timeline } from '../timeline';
import { copyVersion, type ExecutorContext, ledgerClaimHolds, MAX_SINGLE_COPY_BYTES, readLedger } from './executor';
import { isMultipartEtag, type RestoreAction } from './planner';
import type { RestoreProgress } from './progress';

export type CopyAction = Extract<RestoreAction, { type: 'copy' }>;

/** Rejected ledger claims recorded one by one in the timeline (all are counted in the totals). */
const LEDGER_EVENTS = 10;

export interface CopyRunner {
  readonly ctx: ExecutorContext;
  /** Without it, nothing is written: copies are only counted. */
  readonly apply: boolean;
  /** Copies in flight at once. */
  readonly concurrency: number;
  readonly progress: RestoreProgress;
  readonly timeline: Timeline;
}

async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

/**
 * Brings back the target version of each key, `concurrency` at a time. A key that fails is
 * recorded in the progress and the others go on.
 */
export async function runCopies(runner: CopyRunner, copies: CopyAction[]): Promise<void> {
  const { ctx, progress, timeline } = runner;
  const totals = progress.totals;
  const threshold = ctx.multipartThresholdBytes ?? MAX_SINGLE_COPY_BYTES;
  await runPool(copies, runner.concurrency, async (a) => {
    try {
      // Only copies of multipart sources are recorded in the ledger (single-part copies keep the
      // source's MD5 ETag, which the planner already compares). A ledger entry is a claim anyone
      // who can put an object could have written: it settles the key only if the listed current
      // version is the one it names, with the target's size and ETag.
      if (isMultipartEtag(a.etag)) {
        const claims = await readLedger(ctx, a.key);
        if (ledgerClaimHolds(claims, a)) {
          totals.settledByLedger++;
          return;
        }
        if (Object.hasOwn(claims, a.currentVersionId)) {
          totals.ledgerClaimsRejected++;
          if (totals.ledgerClaimsRejected <= LEDGER_EVENTS) {
            timeline.record('ledger claim rejected', {
              key: a.key,
              currentVersionId: a.currentVersionId,
              claimedSource: claims[a.currentVersionId],
              target: a.sourceVersionId,
            });
          }
        }
      }
      if (runner.apply)
        await copyVersion(ctx, { key: a.key, sourceVersionId: a.sourceVersionId, size: a.size, etag: a.etag });
      totals.copies++;
      totals.bytesCopied += a.size;
    } catch (err) {
      const e = err as { name?: string; Code?: string; message?: string };
      progress.fail({
        key: a.key,
        operation: isMultipartEtag(a.etag) || a.size > threshold ? 'MultipartCopy' : 'CopyObject',
        code: e.Code ?? e.name ?? 'Error',
        message: e.message ?? '',
      });
    }
  });
}
