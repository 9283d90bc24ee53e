import { CopyObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { CallCounter } from '../call-counter';
import { systemClock } from '../clock';
import { copySource, type Failure } from '../restore/executor';
import { isMultipartEtag } from '../restore/planner';
import { compareKeys } from '../restore/versions';
import { Timeline, type TimelineEvent } from '../timeline';

/**
 * Compare a bucket with its replica by streaming both listings in key order (ListObjectsV2, one
 * request per 1,000 keys each), and report what the replica lacks, holds extra, or holds
 * differently; with `apply`, copy what is missing or different from the source. Extra objects are
 * reported, never deleted.
 */

export interface ObjectSummary {
  readonly key: string;
  readonly etag?: string;
  readonly size?: number;
  readonly lastModified?: Date;
}

export interface VerifyRequest {
  readonly source: string;
  readonly replica: string;
  readonly prefix?: string;
  readonly apply: boolean;
}

export interface VerifyDeps {
  readonly sourceS3: S3Client;
  /** A client in the replica's region (copies are requests to the destination). */
  readonly replicaS3: S3Client;
  readonly now?: () => Date;
  readonly pageSize?: number;
  /** How many keys of each kind to list in the result (all are counted). */
  readonly sampleSize?: number;
  readonly onProgress?: (compared: number) => void;
}

export interface VerifyResult {
  readonly status: 'in-sync' | 'drift' | 'repaired' | 'failed';
  readonly dryRun: boolean;
  readonly source: string;
  readonly replica: string;
  readonly prefix?: string;
  readonly counts: {
    compared: number;
    missing: number;
    extra: number;
    differing: number;
    unverifiable: number;
    copied: number;
  };
  readonly missing: ObjectSummary[];
  readonly extra: ObjectSummary[];
  readonly differing: ObjectSummary[];
  /** The oldest source write not (correctly) in the replica: the achieved RPO if the source were lost now. */
  readonly oldestUnreplicated?: { key: string; lastModified: string; ageSeconds: number };
  readonly failures: Failure[];
  readonly calls: Record<string, number>;
  readonly timeline: TimelineEvent[];
  readonly seconds: number;
}

async function* listCurrent(
  s3: S3Client,
  bucket: string,
  prefix: string | undefined,
  pageSize: number | undefined,
  calls: CallCounter,
  listed: { count: number },
) {
  const pages = paginateListObjectsV2({ client: s3, pageSize }, { Bucket: bucket, Prefix: prefix });
  for await (const page of pages) {
    calls.add('ListObjectsV2');
    for (const o of page.Contents ?? []) {
      listed.count++;
      yield { key: o.Key!, etag: o.ETag, size: o.Size, lastModified: o.LastModified } satisfies ObjectSummary;
    }
  }
}

/** Same content, as far as listings can tell: equal ETags, or equal sizes when a multipart ETag is involved. */
function compare(a: ObjectSummary, b: ObjectSummary): 'same' | 'different' | 'unverifiable' {
  // Stryker disable next-line StringLiteral: equivalent, any verdict but 'different' and 'unverifiable' is taken as the same
  if (a.etag === b.etag && a.size === b.size) return 'same';
  if (a.size !== b.size) return 'different';
  return isMultipartEtag(a.etag) || isMultipartEtag(b.etag) ? 'unverifiable' : 'different';
}

export async function verifyReplication(request: VerifyRequest, deps: VerifyDeps): Promise<VerifyResult> {
  const now = deps.now ?? systemClock.now;
  const started = now();
  const calls = new CallCounter();
  const timeline = new Timeline(now);
  const sampleSize = deps.sampleSize ?? 50;
  const counts = { compared: 0, missing: 0, extra: 0, differing: 0, unverifiable: 0, copied: 0 };
  const missing: ObjectSummary[] = [];
  const extra: ObjectSummary[] = [];
  const differing: ObjectSummary[] = [];
  const failures: Failure[] = [];
  let oldest: ObjectSummary | undefined;
  timeline.record(request.apply ? 'verify and repair started' : 'verify started', { ...request });

  /** A source object the replica lacks or holds differently: note it, and copy it with apply. */
  const unreplicated = async (list: ObjectSummary[], o: ObjectSummary) => {
    if (list.length < sampleSize) list.push(o);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, a comparison with an undefined date is false anyway
    if (!oldest || (o.lastModified && oldest.lastModified && o.lastModified < oldest.lastModified)) oldest = o;
    if (request.apply) await copyToReplica(o);
  };
  const copyToReplica = async (o: ObjectSummary) => {
    calls.add('CopyObject');
    try {
      await deps.replicaS3.send(
        new CopyObjectCommand({
          Bucket: request.replica,
          Key: o.key,
          CopySource: copySource(request.source, o.key),
          MetadataDirective: 'COPY',
          TaggingDirective: 'COPY',
        }),
      );
      counts.copied++;
    } catch (err) {
      const e = err as { name?: string; Code?: string; message?: string };
      failures.push({
        key: o.key,
        operation: 'CopyObject',
        code: e.Code ?? e.name ?? 'Error',
        message: e.message ?? '',
      });
    }
  };

  // Stryker disable next-line ObjectLiteral: part of the guard below (a NaN count never trips it)
  const listed = { count: 0 };
  const left = listCurrent(deps.sourceS3, request.source, request.prefix, deps.pageSize, calls, listed);
  const right = listCurrent(deps.replicaS3, request.replica, request.prefix, deps.pageSize, calls, listed);
  let a = await left.next();
  let b = await right.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : compareKeys(a.value.key, b.value.key);
    if (order < 0) {
      counts.missing++;
      await unreplicated(missing, a.value!);
      a = await left.next();
    } else if (order > 0) {
      counts.extra++;
      if (extra.length < sampleSize) extra.push(b.value!);
      b = await right.next();
    } else {
      const verdict = compare(a.value!, b.value!);
      if (verdict === 'different') {
        counts.differing++;
        await unreplicated(differing, a.value!);
      } else if (verdict === 'unverifiable') {
        counts.unverifiable++;
      }
      a = await left.next();
      b = await right.next();
    }
    counts.compared++;
    // Each round takes at least one object from a listing, so rounds never outnumber the objects
    // listed. A round that took none would repeat forever: stop with an error instead (a slip in
    // this loop then fails its tests at once rather than hanging them).
    // Stryker disable next-line ConditionalExpression,BlockStatement,StringLiteral: a guard correct code never trips
    if (counts.compared > listed.count) throw new Error(`verify: the comparison of the listings stopped advancing`);
    if (counts.compared % 1000 === 0) deps.onProgress?.(counts.compared);
  }

  const drift = counts.missing + counts.differing + counts.extra > 0;
  const status =
    failures.length > 0
      ? 'failed'
      : !drift
        ? 'in-sync'
        : // Extras are never deleted, so they remain drift after a repair: failback still refuses.
          // (With no failure, every missing and differing object was copied.)
          request.apply && counts.extra === 0
          ? 'repaired'
          : 'drift';
  const end = now();
  timeline.record(`verify ${status}`, { ...counts });
  return {
    status,
    dryRun: !request.apply,
    source: request.source,
    replica: request.replica,
    prefix: request.prefix,
    counts,
    missing,
    extra,
    differing,
    oldestUnreplicated:
      oldest?.lastModified !== undefined
        ? {
            key: oldest.key,
            lastModified: oldest.lastModified.toISOString(),
            ageSeconds: Math.round((end.getTime() - oldest.lastModified.getTime()) / 1000),
          }
        : undefined,
    failures,
    calls: calls.toJSON(),
    timeline: timeline.events,
    seconds: (end.getTime() - started.getTime()) / 1000,
  };
}
