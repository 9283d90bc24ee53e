import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  type LifecycleRule,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { InputError } from '../../contract/errors';
import { CallCounter } from '../call-counter';
import { Timeline, type TimelineEvent } from '../timeline';
import {
  copyVersion,
  DELETE_BATCH,
  deleteKeys,
  type ExecutorContext,
  type Failure,
  LEDGER_PREFIX,
  ledgerClaimHolds,
  MAX_SINGLE_COPY_BYTES,
  readLedger,
} from './executor';
import { isMultipartEtag, type RestoreAction, StreamingPlanner } from './planner';
import { type ListingPosition, listVersionPages } from './versions';

/**
 * Point-in-time restore of a versioned bucket (or prefix), in place: every key whose current state
 * differs from its state at the instant gets a new version (a copy of its version at the instant)
 * or a new delete marker. Nothing is ever deleted for good, so a restore can itself be restored.
 *
 * Cost: one ListObjectVersions per 1,000 entries, one CopyObject per single-part key to bring back,
 * one DeleteObjects per 1,000 keys to hide. A multipart source is copied part for part (a HeadObject
 * for its first part's size, one UploadPartCopy per part) and checked against the ledger (one
 * GetObject). Memory: one page and one key's history.
 */

export interface RestoreRequest {
  readonly bucket: string;
  readonly prefix?: string;
  readonly instant: Date;
  /** Without it, nothing is written: the result describes the plan. */
  readonly apply: boolean;
  /** Resume a paused restore. */
  readonly checkpoint?: RestoreCheckpoint;
}

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

/** Where a paused restore resumes: after the last key it finished, with what it had counted. */
export interface RestoreCheckpoint {
  readonly position: ListingPosition;
  /** An entry at or before the instant has been seen (the instant is within the bucket's history). */
  readonly validated: boolean;
  readonly totals: RestoreTotals;
  /** The first failures of the restore so far (at most FAILURE_SAMPLE_SIZE; the count is `totals.failed`). */
  readonly failureSample?: Failure[];
}

export interface RestoreResult {
  readonly status: 'done' | 'paused' | 'failed';
  readonly dryRun: boolean;
  readonly bucket: string;
  readonly prefix?: string;
  readonly instant: string;
  readonly totals: RestoreTotals;
  readonly calls: Record<string, number>;
  /** Every failure of this invocation (the CLI lists them; a Lambda output should not: see `failureSample`). */
  readonly failures: Failure[];
  /**
   * The first failures of the whole restore, across resumed invocations: at most
   * FAILURE_SAMPLE_SIZE entries with messages cut to FAILURE_MESSAGE_CHARS, so that a result or
   * checkpoint stays small however many keys fail. The count is `totals.failed`.
   */
  readonly failureSample: Failure[];
  /** The first planned actions (all of them for a small plan), for people to read. */
  readonly sample: RestoreAction[];
  readonly checkpoint?: RestoreCheckpoint;
  readonly timeline: TimelineEvent[];
  readonly seconds: number;
}

export interface RestoreDeps {
  readonly s3: S3Client;
  readonly now?: () => Date;
  /** Checked after each page: true makes the restore stop at a key boundary and return a checkpoint. */
  readonly shouldPause?: () => boolean;
  readonly onProgress?: (totals: Readonly<RestoreTotals>) => void;
  readonly multipartThresholdBytes?: number;
  readonly partSizeBytes?: number;
  /** Copies in flight at once. */
  readonly concurrency?: number;
  readonly pageSize?: number;
  readonly sampleSize?: number;
  /** Deletes held while the instant is not yet validated (default 1,000); tests lower it. */
  readonly holdLimit?: number;
}

/**
 * Failures kept in a checkpoint and in `failureSample`. Step Functions passes at most 256 KiB
 * (262,144 bytes of UTF-8) between states, and the loop carries the checkpoint in every state; ten
 * failures with 1,024-byte keys (S3's maximum) and cut messages stay under 15 KiB.
 */
export const FAILURE_SAMPLE_SIZE = 10;
export const FAILURE_MESSAGE_CHARS = 200;
/** Rejected ledger claims recorded one by one in the timeline (all are counted in the totals). */
const LEDGER_EVENTS = 10;

/** The request cannot be carried out as asked; nothing was written. */
export class RestoreInputError extends InputError {}

/** Deletes planned before the instant is known to be valid are held, at most this many. */
const HOLD_LIMIT = DELETE_BATCH;

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

/** A checkpoint's totals; one written before `failed` existed counts none. */
const resumedTotals = (checkpoint: RestoreCheckpoint | undefined): RestoreTotals => ({
  ...zeroTotals(),
  ...checkpoint?.totals,
});

async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(workers);
}

export async function restoreToInstant(request: RestoreRequest, deps: RestoreDeps): Promise<RestoreResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const timeline = new Timeline(now);
  const calls = new CallCounter();
  const ctx: ExecutorContext = {
    s3: deps.s3,
    bucket: request.bucket,
    calls,
    multipartThresholdBytes: deps.multipartThresholdBytes,
    partSizeBytes: deps.partSizeBytes,
  };
  const threshold = deps.multipartThresholdBytes ?? MAX_SINGLE_COPY_BYTES;
  const where = `bucket "${request.bucket}"${request.prefix ? ` prefix "${request.prefix}"` : ''}`;

  if (Number.isNaN(request.instant.getTime())) throw new RestoreInputError('the instant is not a valid date');
  if (request.instant.getTime() > started.getTime()) {
    throw new RestoreInputError(
      `the instant ${request.instant.toISOString()} is in the future (now ${started.toISOString()}); nothing was written`,
    );
  }
  calls.add('GetBucketVersioning');
  const versioning = await deps.s3.send(new GetBucketVersioningCommand({ Bucket: request.bucket }));
  if (versioning.Status !== 'Enabled') {
    throw new RestoreInputError(
      `${where} is not versioned (versioning: ${versioning.Status ?? 'never enabled'}); a point-in-time restore needs version history. Nothing was written`,
    );
  }
  const horizon = await versionHorizon(deps.s3, request.bucket, request.prefix ?? '', calls);
  if (horizon) {
    const cutoff = new Date(started.getTime() - horizon.days * 86_400_000);
    if (request.instant.getTime() < cutoff.getTime()) {
      throw new RestoreInputError(
        `the instant ${request.instant.toISOString()} is older than ${where} keeps replaced versions ` +
          `(${horizon.days} days, lifecycle rule "${horizon.ruleId}"): versions current then may have expired, so ` +
          `the state at that instant cannot be rebuilt. Choose an instant after ${cutoff.toISOString()}, or restore ` +
          `from AWS Backup. Nothing was written`,
      );
    }
  }
  timeline.record(request.apply ? 'restore started' : 'dry run started', {
    bucket: request.bucket,
    prefix: request.prefix,
    instant: request.instant.toISOString(),
    resumed: request.checkpoint !== undefined,
  });

  const totals = resumedTotals(request.checkpoint);
  const failures: Failure[] = [];
  const failureSample: Failure[] = [...(request.checkpoint?.failureSample ?? [])].slice(0, FAILURE_SAMPLE_SIZE);
  const fail = (failure: Failure) => {
    failures.push(failure);
    totals.failed++;
    if (failureSample.length < FAILURE_SAMPLE_SIZE) {
      const message =
        failure.message.length > FAILURE_MESSAGE_CHARS
          ? `${failure.message.slice(0, FAILURE_MESSAGE_CHARS - 1)}…`
          : failure.message;
      failureSample.push({ ...failure, message });
    }
  };
  const sample: RestoreAction[] = [];
  const sampleSize = deps.sampleSize ?? 20;
  const startPosition = request.checkpoint?.position ?? {};
  let validated = request.checkpoint?.validated ?? false;
  let earliest: Date | undefined;
  let held: RestoreAction[] = [];
  let overflowed = false;
  let pendingDeletes: string[] = [];

  const flushDeletes = async () => {
    if (pendingDeletes.length === 0) return;
    const keys = pendingDeletes;
    pendingDeletes = [];
    if (request.apply) {
      const refused = await deleteKeys(ctx, keys);
      refused.forEach(fail);
      totals.deletes += keys.length - refused.length;
    } else {
      totals.deletes += keys.length;
    }
  };

  const execute = async (actions: RestoreAction[]) => {
    const copies = actions.filter((a): a is Extract<RestoreAction, { type: 'copy' }> => a.type === 'copy');
    await runPool(copies, deps.concurrency ?? 16, async (a) => {
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
        if (request.apply)
          await copyVersion(ctx, { key: a.key, sourceVersionId: a.sourceVersionId, size: a.size, etag: a.etag });
        totals.copies++;
        totals.bytesCopied += a.size;
      } catch (err) {
        const e = err as { name?: string; Code?: string; message?: string };
        fail({
          key: a.key,
          operation: isMultipartEtag(a.etag) || a.size > threshold ? 'MultipartCopy' : 'CopyObject',
          code: e.Code ?? e.name ?? 'Error',
          message: e.message ?? '',
        });
      }
    });
    for (const a of actions) {
      if (a.type !== 'delete') continue;
      pendingDeletes.push(a.key);
      if (pendingDeletes.length >= DELETE_BATCH) await flushDeletes();
    }
  };

  const finish = (status: RestoreResult['status'], checkpoint?: RestoreCheckpoint): RestoreResult => {
    timeline.record(`restore ${status}`, { ...totals });
    return {
      status,
      dryRun: !request.apply,
      bucket: request.bucket,
      prefix: request.prefix,
      instant: request.instant.toISOString(),
      totals,
      calls: calls.toJSON(),
      failures,
      failureSample: [...failureSample],
      sample,
      checkpoint,
      timeline: timeline.events,
      seconds: (now().getTime() - started.getTime()) / 1000,
    };
  };

  // One pass over the listing; a second only if the instant could not be validated early enough
  // (more than HOLD_LIMIT deletes planned before any entry at or before the instant was seen).
  for (let pass = 0; pass < 2; pass++) {
    const planner = new StreamingPlanner(request.instant);
    let lastCompletedKey: string | undefined;
    const pages = listVersionPages(deps.s3, {
      bucket: request.bucket,
      prefix: request.prefix,
      start: startPosition,
      maxKeys: deps.pageSize,
      onRequest: () => calls.add('ListObjectVersions'),
    });
    for await (const page of pages) {
      const ready: RestoreAction[] = [];
      const take = (completed: { completedKey?: string; action?: RestoreAction }) => {
        if (completed.completedKey === undefined) return;
        lastCompletedKey = completed.completedKey;
        totals.keys++;
        if (completed.action && !overflowed) {
          if (sample.length < sampleSize) sample.push(completed.action);
          (validated ? ready : held).push(completed.action);
        }
      };
      for (const entry of page.entries) {
        if (entry.key.startsWith(LEDGER_PREFIX)) continue;
        totals.entries++;
        if (!earliest || entry.lastModified < earliest) earliest = entry.lastModified;
        if (!validated && entry.lastModified.getTime() <= request.instant.getTime()) {
          validated = true;
          timeline.record('instant validated', { firstEntryAtOrBefore: entry.lastModified.toISOString() });
          if (overflowed) break;
          ready.push(...held);
          held = [];
        }
        take(planner.push(entry));
      }
      if (overflowed && validated) break;
      if (!page.next) take(planner.finish());
      if (!validated && held.length > (deps.holdLimit ?? HOLD_LIMIT)) {
        overflowed = true;
        held = [];
      }
      await execute(ready);
      deps.onProgress?.(totals);
      // Pause only after finishing a key in this run, so every invocation makes progress (a key
      // with more than a page of versions is finished before the restore can pause).
      if (page.next && validated && !overflowed && lastCompletedKey !== undefined && deps.shouldPause?.()) {
        await flushDeletes();
        const position = { keyMarker: lastCompletedKey };
        timeline.record('restore paused', { resumeAfterKey: lastCompletedKey });
        return finish('paused', { position, validated, totals: { ...totals }, failureSample: [...failureSample] });
      }
    }
    if (!validated) {
      throw new RestoreInputError(
        `the instant ${request.instant.toISOString()} is before the first version in ${where}` +
          (earliest ? ` (the earliest is ${earliest.toISOString()})` : ' (it holds no versions)') +
          '; nothing was written',
      );
    }
    if (!overflowed) {
      await execute(held);
      await flushDeletes();
      // Failed if any key failed, in this invocation or an earlier one of the same restore.
      return finish(totals.failed > 0 ? 'failed' : 'done');
    }
    // The instant is valid but the held actions were dropped: start again, validated from the outset.
    overflowed = false;
    held = [];
    sample.length = 0;
    // Nothing was executed in the first pass (actions wait for the instant to be validated), so no
    // failure is lost by starting the totals again.
    Object.assign(totals, resumedTotals(request.checkpoint));
    timeline.record('second pass: deletes were held until the instant was validated');
  }
  throw new Error('unreachable: the second pass always returns');
}

/**
 * How far back the bucket keeps replaced versions for keys under `prefix`: the shortest
 * NoncurrentVersionExpiration of the enabled lifecycle rules that can apply there. A version current
 * at instant T is replaced at some U >= T and expires at U + days, so every instant inside the last
 * `days` days can still be rebuilt; an older one may not. Undefined when nothing expires versions.
 */
async function versionHorizon(
  s3: S3Client,
  bucket: string,
  prefix: string,
  calls: { add(operation: string): void },
): Promise<{ days: number; ruleId: string } | undefined> {
  calls.add('GetBucketLifecycleConfiguration');
  let rules: LifecycleRule[];
  try {
    rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })))?.Rules ?? [];
  } catch (err) {
    if (err instanceof S3ServiceException && err.name === 'NoSuchLifecycleConfiguration') return undefined;
    throw err;
  }
  let horizon: { days: number; ruleId: string } | undefined;
  for (const rule of rules) {
    const days = rule.NoncurrentVersionExpiration?.NoncurrentDays;
    if (rule.Status !== 'Enabled' || days === undefined) continue;
    const rulePrefix = rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
    // The rule can touch keys under `prefix` when one prefix contains the other.
    if (!prefix.startsWith(rulePrefix) && !rulePrefix.startsWith(prefix)) continue;
    if (!horizon || days < horizon.days) horizon = { days, ruleId: rule.ID ?? '(unnamed)' };
  }
  return horizon;
}
