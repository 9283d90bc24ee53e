import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { s3Client } from '../../lambda/lib/aws';

/** An S3 client for the moto server the test run started (test/support/integration-setup.ts). */
export function motoS3(): S3Client {
  const endpointUrl = process.env.MOTO_ENDPOINT;
  if (!endpointUrl) throw new Error('MOTO_ENDPOINT is not set: the moto global setup did not run');
  return s3Client({ endpointUrl, region: 'us-east-1', maxAttempts: 2 });
}

let counter = 0;

/** A new bucket with a unique name, versioned unless told otherwise. */
export async function newBucket(s3: S3Client, options: { versioned?: boolean } = {}): Promise<string> {
  const bucket = `test-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (options.versioned ?? true) {
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  return bucket;
}

export async function put(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  extra: Record<string, unknown> = {},
) {
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }));
}

export async function del(s3: S3Client, bucket: string, key: string) {
  return s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/** What a reader sees now: key -> body, for every key that is not deleted. */
export async function contents(s3: S3Client, bucket: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of await allVersions(s3, bucket)) {
    if (!v.IsLatest || v.isDeleteMarker || !v.Key!.startsWith(prefix) || v.Key!.startsWith('.drctl/')) continue;
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: v.Key }));
    out[v.Key!] = await obj.Body!.transformToString();
  }
  return out;
}

/** Every version and delete marker of the bucket. */
export async function allVersions(s3: S3Client, bucket: string) {
  const all: { Key?: string; VersionId?: string; IsLatest?: boolean; isDeleteMarker: boolean }[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const out = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
    );
    all.push(...(out.Versions ?? []).map((v) => ({ ...v, isDeleteMarker: false })));
    all.push(...(out.DeleteMarkers ?? []).map((d) => ({ ...d, isDeleteMarker: true })));
    if (!out.IsTruncated) return all;
    keyMarker = out.NextKeyMarker;
    versionIdMarker = out.NextVersionIdMarker;
  }
}

/** S3 lists LastModified to the second: wait so that writes on either side fall in different seconds. */
export async function nextSecond(): Promise<Date> {
  await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
  const instant = new Date(Math.floor(Date.now() / 1000) * 1000 + 999);
  await new Promise((r) => setTimeout(r, 1100 - (Date.now() % 1000)));
  return instant;
}
