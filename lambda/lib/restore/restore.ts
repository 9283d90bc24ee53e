import type { S3Client } from '@aws-sdk/client-s3';
import { CallCounter } from '../call-counter';
import { Timeline, type TimelineEvent } from '../timeline';
import { type CopyAction, type CopyRunner, runCopies } from './copies';
import { DeleteBatcher } from './delete-batcher';
import { DELETE_BATCH, deleteKeys, type ExecutorContext, type Failure, LEDGER_PREFIX } from './executor';
import { InstantGate } from './instant-gate';
import { type RestoreAction, StreamingPlanner } from './planner';
import { checkBeforeWrite, describeTarget, RestoreInputError } from './preflight';
import { RestoreProgress, type RestoreTotals } from './progress';
import { type ListingPosition, listVersionPages } from './versions';

export { RestoreInputError } from './preflight';
export { FAILURE_MESSAGE_CHARS, FAILURE_SAMPLE_SIZE, type RestoreTotals } from './progress';

/**
 * Point-in-time restore of a versioned bucket (or prefix), in place: every key whose current state
 * differs from its state at the instant gets a new version (a copy of its version at the instant)
 * or a new delete marker. Nothing is ever deleted for good, so a restore can itself be restored.
 *
 * Cost: one ListObjectVersions per 1,000 entries, one CopyObject per single-part key to bring back,
 * one DeleteObjects per 1,000 keys to hide. A multipart source is copied part for part (a HeadObject
 * for its first part's size, one UploadPartCopy per part) and checked against the ledger (one
 * GetObject). Memory: one page and one key's history.
 *
 * The pieces: `preflight.ts` (checks before any write), `instant-gate.ts` (holds actions until the
 * instant is validated), `copies.ts` and `delete-batcher.ts` (run the actions), `progress.ts`
 * (counts and failures). This file lists the bucket and ties them together.
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

/** Deletes planned before the instant is known to be valid are held, at most this many. */
const HOLD_LIMIT = DELETE_BATCH;

/** What one restore invocation shares between its listing passes; `progress` is reset explicitly. */
interface Run {
  readonly request: RestoreRequest;
  readonly deps: RestoreDeps;
  readonly ctx: ExecutorContext;
  readonly timeline: Timeline;
  readonly progress: RestoreProgress;
  readonly finish: (status: RestoreResult['status'], checkpoint?: RestoreCheckpoint) => RestoreResult;
}

export async function restoreToInstant(request: RestoreRequest, deps: RestoreDeps): Promise<RestoreResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const timeline = new Timeline(now);
  const calls = new CallCounter();
  await checkBeforeWrite(deps.s3, request, started, calls);
  timeline.record(request.apply ? 'restore started' : 'dry run started', {
    bucket: request.bucket,
    prefix: request.prefix,
    instant: request.instant.toISOString(),
    resumed: request.checkpoint !== undefined,
  });

  const progress = new RestoreProgress(request.checkpoint, deps.sampleSize ?? 20);
  const run: Run = {
    request,
    deps,
    ctx: {
      s3: deps.s3,
      bucket: request.bucket,
      calls,
      multipartThresholdBytes: deps.multipartThresholdBytes,
      partSizeBytes: deps.partSizeBytes,
    },
    timeline,
    progress,
    finish: (status, checkpoint) => {
      timeline.record(`restore ${status}`, { ...progress.totals });
      return {
        status,
        dryRun: !request.apply,
        bucket: request.bucket,
        prefix: request.prefix,
        instant: request.instant.toISOString(),
        totals: progress.totals,
        calls: calls.toJSON(),
        failures: progress.failures,
        failureSample: [...progress.failureSample],
        sample: progress.sample,
        checkpoint,
        timeline: timeline.events,
        seconds: (now().getTime() - started.getTime()) / 1000,
      };
    },
  };
  const holdLimit = deps.holdLimit ?? HOLD_LIMIT;

  // One pass over the listing; a second only if the instant could not be validated early enough
  // (more than `holdLimit` actions planned before any entry at or before the instant was seen).
  const first = await listingPass(
    run,
    new InstantGate(request.instant, { validated: request.checkpoint?.validated ?? false, holdLimit }),
  );
  if (first !== 'second pass needed') return first;

  // Nothing was executed in the first pass (actions wait for the instant to be validated), so no
  // failure is lost by starting the counts again from the checkpoint.
  progress.restart();
  timeline.record('second pass: deletes were held until the instant was validated');
  const second = await listingPass(run, new InstantGate(request.instant, { validated: true, holdLimit }));
  if (second === 'second pass needed') throw new Error('unreachable: a validated gate never overflows');
  return second;
}

/**
 * Lists the bucket once from the checkpoint's position, plans each key, runs the actions the gate
 * lets through, and returns the result (done, failed or paused), or 'second pass needed' when the
 * gate overflowed before the instant was validated (nothing was executed then).
 */
async function listingPass(run: Run, gate: InstantGate): Promise<RestoreResult | 'second pass needed'> {
  const { request, deps, ctx, timeline, progress } = run;
  const totals = progress.totals;
  const deletes = new DeleteBatcher(async (keys) => {
    if (request.apply) {
      const refused = await deleteKeys(ctx, keys);
      refused.forEach((failure) => progress.fail(failure));
      totals.deletes += keys.length - refused.length;
    } else {
      totals.deletes += keys.length;
    }
  });
  const copyRunner: CopyRunner = {
    ctx,
    apply: request.apply,
    concurrency: deps.concurrency ?? 16,
    progress,
    timeline,
  };
  const execute = async (actions: RestoreAction[]) => {
    await runCopies(
      copyRunner,
      actions.filter((a): a is CopyAction => a.type === 'copy'),
    );
    for (const a of actions) if (a.type === 'delete') await deletes.add(a.key);
  };

  const planner = new StreamingPlanner(request.instant);
  let lastCompletedKey: string | undefined;
  const take = (completed: { completedKey?: string; action?: RestoreAction }) => {
    if (completed.completedKey === undefined) return;
    lastCompletedKey = completed.completedKey;
    totals.keys++;
    if (completed.action && gate.admit(completed.action)) progress.noteAction(completed.action);
  };

  const pages = listVersionPages(deps.s3, {
    bucket: request.bucket,
    prefix: request.prefix,
    start: request.checkpoint?.position ?? {},
    maxKeys: deps.pageSize,
    onRequest: () => ctx.calls.add('ListObjectVersions'),
  });
  for await (const page of pages) {
    for (const entry of page.entries) {
      if (entry.key.startsWith(LEDGER_PREFIX)) continue;
      totals.entries++;
      if (gate.observe(entry.lastModified)) {
        timeline.record('instant validated', { firstEntryAtOrBefore: entry.lastModified.toISOString() });
        if (gate.overflowed) break;
      }
      take(planner.push(entry));
    }
    if (gate.needsSecondPass) return 'second pass needed';
    if (!page.next) take(planner.finish());
    gate.closePage();
    await execute(gate.takeReady());
    deps.onProgress?.(totals);
    // Pause only after finishing a key in this run, so every invocation makes progress (a key
    // with more than a page of versions is finished before the restore can pause).
    if (page.next && gate.validated && !gate.overflowed && lastCompletedKey !== undefined && deps.shouldPause?.()) {
      await deletes.flush();
      timeline.record('restore paused', { resumeAfterKey: lastCompletedKey });
      return run.finish('paused', {
        position: { keyMarker: lastCompletedKey },
        validated: gate.validated,
        totals: { ...totals },
        failureSample: [...progress.failureSample],
      });
    }
  }
  if (!gate.validated) {
    const earliest = gate.earliest;
    throw new RestoreInputError(
      `the instant ${request.instant.toISOString()} is before the first version in ${describeTarget(request)}` +
        (earliest ? ` (the earliest is ${earliest.toISOString()})` : ' (it holds no versions)') +
        '; nothing was written',
    );
  }
  if (gate.needsSecondPass) return 'second pass needed';
  await execute(gate.takeHeld());
  await deletes.flush();
  // Failed if any key failed, in this invocation or an earlier one of the same restore.
  return run.finish(totals.failed > 0 ? 'failed' : 'done');
}
