import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  HeadObjectCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { isMultipartEtag } from './planner';
import type { CallCounter } from '../call-counter';

/** S3's limit for a single CopyObject; larger objects need a multipart copy. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
/** Part size of a multipart copy (S3 allows 5 MiB to 5 GiB, at most 10,000 parts). */
export const DEFAULT_PART_SIZE_BYTES = 512 * 1024 ** 2;
/** Keys per DeleteObjects request: S3's maximum. */
export const DELETE_BATCH = 1000;
/** Parts of one multipart upload: S3's maximum (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
export const MAX_PARTS = 10_000;

/**
 * Prefix of the restore ledger: for copies of multipart sources, whose ETags the planner does not
 * take as proof of equal content, the restore records "new version X is a copy of version Y", so
 * that a second run recognises its own work. Anyone who can put an object can write a ledger
 * entry, so an entry is only a claim: `ledgerClaimHolds` checks it against the objects themselves.
 * Restores never plan keys under this prefix.
 */
export const LEDGER_PREFIX = '.drctl/restore-ledger/';

export interface Failure {
  readonly key: string;
  readonly operation: string;
  readonly code: string;
  readonly message: string;
}

export interface ExecutorContext {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly calls: CallCounter;
  /** Single-part sources larger than this are copied in parts of `partSizeBytes` (tests lower it). */
  readonly multipartThresholdBytes?: number;
  readonly partSizeBytes?: number;
}

/** `bucket/key[?versionId=v]`, URL-encoded as CopySource requires (slashes kept). */
export function copySource(bucket: string, key: string, versionId?: string): string {
  const encodedKey = encodeURIComponent(key).replace(/%2F/g, '/');
  return versionId === undefined
    ? `${bucket}/${encodedKey}`
    : `${bucket}/${encodedKey}?versionId=${encodeURIComponent(versionId)}`;
}

export function ledgerKey(key: string): string {
  return `${LEDGER_PREFIX}${createHash('sha256').update(key).digest('hex')}.json`;
}

interface LedgerDocument {
  readonly key: string;
  /** new version id -> the version it copies */
  readonly copies: Record<string, string>;
}

/**
 * The copies the ledger claims for this key, by new version id. Empty when there is no ledger
 * entry, or when the entry is not a well-formed ledger document for this key (it is not trusted).
 */
export async function readLedger(ctx: ExecutorContext, key: string): Promise<Record<string, string>> {
  ctx.calls.add('GetObject');
  let text: string;
  try {
    const out = await ctx.s3.send(new GetObjectCommand({ Bucket: ctx.bucket, Key: ledgerKey(key) }));
    text = await out.Body!.transformToString();
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return {};
    throw err;
  }
  let doc: unknown;
  // Stryker disable BlockStatement: equivalent, an unparsed document stays undefined and the check below returns {}
  try {
    doc = JSON.parse(text);
  } catch {
    return {};
  }
  // Stryker restore BlockStatement
  const copies = (doc as Partial<LedgerDocument> | null)?.copies;
  if ((doc as Partial<LedgerDocument> | null)?.key !== key || typeof copies !== 'object' || copies === null) return {};
  return Object.fromEntries(Object.entries(copies).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Whether a ledger claim "the current version is a copy of the target" holds for the objects as
 * listed: the claim names the version that is current now, and that version has the target's size
 * and ETag. The restore copies a multipart source part for part (see `copyInSourceParts`), and S3
 * gives a part copy the MD5 of its bytes as ETag and a completed upload the MD5 of its parts' MD5s
 * plus "-<parts>" (objects under SSE-S3 or unencrypted, as the site buckets are), so a true copy has
 * exactly the source's ETag, and a forged claim about other content does not.
 */
export function ledgerClaimHolds(
  claims: Record<string, string>,
  copy: {
    currentVersionId: string;
    currentEtag?: string;
    currentSize?: number;
    sourceVersionId: string;
    etag?: string;
    size: number;
  },
): boolean {
  return (
    Object.hasOwn(claims, copy.currentVersionId) &&
    claims[copy.currentVersionId] === copy.sourceVersionId &&
    copy.etag !== undefined &&
    copy.currentEtag === copy.etag &&
    copy.currentSize === copy.size
  );
}

async function recordInLedger(ctx: ExecutorContext, key: string, newVersionId: string, sourceVersionId: string) {
  const copies = { ...(await readLedger(ctx, key)), [newVersionId]: sourceVersionId };
  ctx.calls.add('PutObject');
  await ctx.s3.send(
    new PutObjectCommand({
      Bucket: ctx.bucket,
      Key: ledgerKey(key),
      Body: JSON.stringify({ key, copies } satisfies LedgerDocument),
      ContentType: 'application/json',
    }),
  );
}

/** The part count of a multipart ETag (`"<md5 of part md5s>-<parts>"`), or undefined. */
function partsOf(etag: string | undefined): number | undefined {
  // Stryker disable next-line Regex: equivalent, isMultipartEtag has matched the whole ETag (/^"?[0-9a-f]{32}-\d+"?$/i)
  return isMultipartEtag(etag) ? Number(/-(\d+)"?$/.exec(etag!)![1]) : undefined;
}

/** The ETag S3 gives a completed multipart upload of these parts (each part's ETag is its MD5). */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const e of partEtags) md5.update(Buffer.from(e.replace(/"/g, ''), 'hex'));
  return `"${md5.digest('hex')}-${partEtags.length}"`;
}

/**
 * Make `sourceVersionId` the current version of `key` again by copying it onto itself, keeping its
 * metadata. A single-part source is copied with CopyObject, which gives the copy the source's MD5
 * ETag. A multipart source is copied part for part, with its own part boundaries, so the copy gets
 * the source's multipart ETag too, and a ledger entry is recorded for the next run. The SDK turns
 * S3's "error inside a 200 response" to CopyObject and UploadPartCopy into a thrown error.
 */
export async function copyVersion(
  ctx: ExecutorContext,
  copy: { key: string; sourceVersionId: string; size: number; etag?: string },
): Promise<string | undefined> {
  const threshold = ctx.multipartThresholdBytes ?? MAX_SINGLE_COPY_BYTES;
  const parts = partsOf(copy.etag);
  if (parts !== undefined) {
    // S3 completes no upload of more parts; a listing that claims more is not from S3 (or is
    // corrupt), and its part sizes would be read one HeadObject at a time for nothing.
    if (parts > MAX_PARTS) {
      throw new Error(
        `${copy.key} (version ${copy.sourceVersionId}): ETag ${copy.etag} claims ${parts} parts, more than S3's ${MAX_PARTS}`,
      );
    }
    const { versionId, etag } = await copyInSourceParts(
      ctx,
      copy.key,
      copy.sourceVersionId,
      copy.size,
      copy.etag!,
      parts,
    );
    // Recorded only for a copy that carries the source's ETag: any other would fail verification.
    if (versionId && etag === copy.etag) await recordInLedger(ctx, copy.key, versionId, copy.sourceVersionId);
    return versionId;
  }
  if (copy.size > threshold) {
    // A single-part object over 5 GiB cannot exist in S3; this is for tests that lower the threshold.
    return (await multipartCopy(ctx, copy.key, copy.sourceVersionId, evenParts(ctx, copy.size))).versionId;
  }
  ctx.calls.add('CopyObject');
  const out = await ctx.s3.send(
    new CopyObjectCommand({
      Bucket: ctx.bucket,
      Key: copy.key,
      CopySource: copySource(ctx.bucket, copy.key, copy.sourceVersionId),
      MetadataDirective: 'COPY',
      TaggingDirective: 'COPY',
    }),
  );
  return out.VersionId;
}

/**
 * Part sizes of `size` bytes cut in parts of the configured size (at most 10,000 parts). Counted
 * first rather than cut in a loop, so no slip in the arithmetic can loop forever.
 */
function evenParts(ctx: ExecutorContext, size: number): number[] {
  const partSize = Math.max(ctx.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES, Math.ceil(size / MAX_PARTS));
  return Array.from({ length: Math.ceil(size / partSize) }, (_, i) => Math.min(partSize, size - i * partSize));
}

/** The size of one part of a multipart object version (HeadObject with partNumber). */
async function partSize(ctx: ExecutorContext, key: string, versionId: string, part: number): Promise<number> {
  ctx.calls.add('HeadObject');
  const out = await ctx.s3.send(
    new HeadObjectCommand({ Bucket: ctx.bucket, Key: key, VersionId: versionId, PartNumber: part }),
  );
  return out.ContentLength ?? 0;
}

/**
 * Copy a multipart version with its own part boundaries. Uploaders cut equal parts but the last,
 * so the first part's size usually gives them all; the part copies' ETags then show, before the
 * upload is completed, whether the copy will carry the source's ETag. If not (unequal parts), the
 * upload is aborted, every part's size is read, and the copy is made again.
 */
async function copyInSourceParts(
  ctx: ExecutorContext,
  key: string,
  versionId: string,
  size: number,
  etag: string,
  parts: number,
): Promise<CopyResult> {
  if (parts === 1) return multipartCopy(ctx, key, versionId, [size]);
  const first = await partSize(ctx, key, versionId, 1);
  // (HeadObject with PartNumber always gives the part's ContentLength; were it 0, this is Infinity.)
  if (Math.ceil(size / first) === parts) {
    const even = Array.from({ length: parts }, (_, i) => Math.min(first, size - i * first));
    const attempt = await multipartCopy(ctx, key, versionId, even, etag);
    if (attempt !== 'different parts') return attempt;
  }
  const sizes = [first];
  // One HeadObject after the other, parts 2 to `parts` (a bounded list: no slip can loop forever).
  for (const part of Array.from({ length: parts - 1 }, (_, i) => i + 2)) {
    sizes.push(await partSize(ctx, key, versionId, part));
  }
  return multipartCopy(ctx, key, versionId, sizes);
}

interface CopyResult {
  readonly versionId?: string;
  readonly etag?: string;
}

/**
 * Multipart copy of one version onto its key, in parts of the given sizes. CreateMultipartUpload
 * does not copy metadata, so it is read first with a one-byte ranged GET and passed on. With
 * `expectEtag`, the upload is aborted (and 'different parts' returned) when the parts copied would
 * not give that ETag.
 */
async function multipartCopy(
  ctx: ExecutorContext,
  key: string,
  versionId: string,
  sizes: readonly number[],
): Promise<CopyResult>;
async function multipartCopy(
  ctx: ExecutorContext,
  key: string,
  versionId: string,
  sizes: readonly number[],
  expectEtag: string,
): Promise<CopyResult | 'different parts'>;
async function multipartCopy(
  ctx: ExecutorContext,
  key: string,
  versionId: string,
  sizes: readonly number[],
  expectEtag?: string,
): Promise<CopyResult | 'different parts'> {
  ctx.calls.add('GetObject');
  const head = await ctx.s3.send(
    new GetObjectCommand({ Bucket: ctx.bucket, Key: key, VersionId: versionId, Range: 'bytes=0-0' }),
  );
  // (Read to the end so the connection is released.)
  // Stryker disable next-line OptionalChaining: equivalent against S3, whose GetObject answer always has a Body
  await head.Body?.transformToByteArray();

  ctx.calls.add('CreateMultipartUpload');
  const upload = await ctx.s3.send(
    new CreateMultipartUploadCommand({
      Bucket: ctx.bucket,
      Key: key,
      ContentType: head.ContentType,
      CacheControl: head.CacheControl,
      ContentDisposition: head.ContentDisposition,
      ContentEncoding: head.ContentEncoding,
      ContentLanguage: head.ContentLanguage,
      Expires: head.Expires,
      Metadata: head.Metadata,
    }),
  );
  const abort = async () => {
    ctx.calls.add('AbortMultipartUpload');
    await ctx.s3
      .send(new AbortMultipartUploadCommand({ Bucket: ctx.bucket, Key: key, UploadId: upload.UploadId }))
      .catch(() => undefined);
  };
  try {
    const parts: { ETag?: string; PartNumber: number }[] = [];
    let start = 0;
    for (const [i, partBytes] of sizes.entries()) {
      const end = start + partBytes - 1;
      ctx.calls.add('UploadPartCopy');
      const out = await ctx.s3.send(
        new UploadPartCopyCommand({
          Bucket: ctx.bucket,
          Key: key,
          UploadId: upload.UploadId,
          PartNumber: i + 1,
          CopySource: copySource(ctx.bucket, key, versionId),
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      // Stryker disable next-line OptionalChaining: equivalent against S3, whose UploadPartCopy answer always has a CopyPartResult
      parts.push({ ETag: out.CopyPartResult?.ETag, PartNumber: i + 1 });
      start = end + 1;
    }
    // Stryker disable next-line StringLiteral: equivalent, '' and any other non-hex text give the same (empty) MD5 bytes
    if (expectEtag !== undefined && multipartEtag(parts.map((p) => p.ETag ?? '')) !== expectEtag) {
      await abort();
      return 'different parts';
    }
    ctx.calls.add('CompleteMultipartUpload');
    const done = await ctx.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: ctx.bucket,
        Key: key,
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return { versionId: done.VersionId, etag: done.ETag };
  } catch (err) {
    await abort();
    throw err;
  }
}

/**
 * Hide keys behind new delete markers, up to 1,000 per request. Returns the keys S3 refused,
 * one failure each; the others are done.
 */
export async function deleteKeys(ctx: ExecutorContext, keys: readonly string[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (const batch of batches(keys, DELETE_BATCH)) {
    ctx.calls.add('DeleteObjects');
    try {
      const out = await ctx.s3.send(
        new DeleteObjectsCommand({
          Bucket: ctx.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      for (const e of out.Errors ?? []) {
        failures.push({
          key: e.Key ?? '?',
          operation: 'DeleteObjects',
          code: e.Code ?? 'Unknown',
          message: e.Message ?? '',
        });
      }
    } catch (err) {
      const e = err as { name?: string; message?: string };
      for (const key of batch)
        failures.push({ key, operation: 'DeleteObjects', code: e.name ?? 'Error', message: e.message ?? '' });
    }
  }
  return failures;
}

/** `items` in batches of `size`, in order (one pass over the items: no slip can loop forever). */
function batches<T>(items: readonly T[], size: number): T[][] {
  return items.reduce<T[][]>((all, item, i) => {
    if (i % size === 0) all.push([]);
    all[all.length - 1].push(item);
    return all;
  }, []);
}
