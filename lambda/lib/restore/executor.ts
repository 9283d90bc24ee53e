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
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { CallCounter } from '../call-counter';

/** S3's limit for a single CopyObject; larger objects need a multipart copy. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;
/** Part size of a multipart copy (S3 allows 5 MiB to 5 GiB, at most 10,000 parts). */
export const DEFAULT_PART_SIZE_BYTES = 512 * 1024 ** 2;
/** Keys per DeleteObjects request: S3's maximum. */
export const DELETE_BATCH = 1000;

/**
 * Prefix of the restore ledger: for copies whose ETag cannot show they equal their source
 * (multipart sources or multipart copies), the restore records "new version X is a copy of
 * version Y", so that a second run recognises its own work. Restores never plan keys under it.
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
  return `${LEDGER_PREFIX}${createHash('sha256').update(key, 'utf8').digest('hex')}.json`;
}

interface LedgerDocument {
  readonly key: string;
  /** new version id -> the version it copies */
  readonly copies: Record<string, string>;
}

/** The copies a restore made of this key, by new version id. Empty when it never needed the ledger. */
export async function readLedger(ctx: ExecutorContext, key: string): Promise<Record<string, string>> {
  ctx.calls.add('GetObject');
  try {
    const out = await ctx.s3.send(new GetObjectCommand({ Bucket: ctx.bucket, Key: ledgerKey(key) }));
    const doc = JSON.parse(await out.Body!.transformToString()) as LedgerDocument;
    return doc.key === key ? doc.copies : {};
  } catch (err) {
    if ((err as { name?: string }).name === 'NoSuchKey') return {};
    throw err;
  }
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

/**
 * Make `sourceVersionId` the current version of `key` again by copying it onto itself, keeping its
 * metadata. Objects over the single-copy limit are copied in parts. The SDK turns S3's
 * "error inside a 200 response" to CopyObject and UploadPartCopy into a thrown error.
 */
export async function copyVersion(
  ctx: ExecutorContext,
  copy: { key: string; sourceVersionId: string; size: number; needsLedger: boolean },
): Promise<string | undefined> {
  const threshold = ctx.multipartThresholdBytes ?? MAX_SINGLE_COPY_BYTES;
  let newVersionId: string | undefined;
  if (copy.size > threshold) {
    newVersionId = await multipartCopy(ctx, copy.key, copy.sourceVersionId, copy.size);
  } else {
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
    newVersionId = out.VersionId;
  }
  if ((copy.needsLedger || copy.size > threshold) && newVersionId) {
    await recordInLedger(ctx, copy.key, newVersionId, copy.sourceVersionId);
  }
  return newVersionId;
}

/**
 * Multipart copy of one version onto its key. CreateMultipartUpload does not copy metadata, so it
 * is read first with a one-byte ranged GET (not HeadObject) and passed on.
 */
async function multipartCopy(
  ctx: ExecutorContext,
  key: string,
  versionId: string,
  size: number,
): Promise<string | undefined> {
  ctx.calls.add('GetObject');
  const head = await ctx.s3.send(
    new GetObjectCommand({ Bucket: ctx.bucket, Key: key, VersionId: versionId, Range: 'bytes=0-0' }),
  );
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
  const partSize = Math.max(ctx.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES, Math.ceil(size / 10000));
  try {
    const parts: { ETag?: string; PartNumber: number }[] = [];
    for (let start = 0, part = 1; start < size; start += partSize, part++) {
      const end = Math.min(start + partSize, size) - 1;
      ctx.calls.add('UploadPartCopy');
      const out = await ctx.s3.send(
        new UploadPartCopyCommand({
          Bucket: ctx.bucket,
          Key: key,
          UploadId: upload.UploadId,
          PartNumber: part,
          CopySource: copySource(ctx.bucket, key, versionId),
          CopySourceRange: `bytes=${start}-${end}`,
        }),
      );
      parts.push({ ETag: out.CopyPartResult?.ETag, PartNumber: part });
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
    return done.VersionId;
  } catch (err) {
    ctx.calls.add('AbortMultipartUpload');
    await ctx.s3
      .send(new AbortMultipartUploadCommand({ Bucket: ctx.bucket, Key: key, UploadId: upload.UploadId }))
      .catch(() => undefined);
    throw err;
  }
}

/**
 * Hide keys behind new delete markers, up to 1,000 per request. Returns the keys S3 refused,
 * one failure each; the others are done.
 */
export async function deleteKeys(ctx: ExecutorContext, keys: readonly string[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  for (let i = 0; i < keys.length; i += DELETE_BATCH) {
    const batch = keys.slice(i, i + DELETE_BATCH);
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
