/**
 * The bucket history the restore benchmark restores: N keys, three versions each (v1, v2 before the
 * restore instant; v3 after it) and delete markers on about 10% of the keys after v3. Restoring to
 * the instant must bring every key back to its v2. Contents are deterministic: a key's bodies are a
 * function of its index and version, so verification needs no record of what was written.
 */
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** A small, fast, seedable integer hash (deterministic choices without Math.random). */
export function mix(n: number, seed = 0x9e3779b9): number {
  let h = Math.imul(n ^ seed, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const keyName = (i: number): string =>
  `site/p${String(i % 100).padStart(2, '0')}/obj-${String(i).padStart(7, '0')}`;

/** 8 to ~100 bytes, different for every (key, version). */
export function body(i: number, version: number): string {
  const head = `${i}:v${version}:`;
  const length = 8 + (mix(i * 4 + version) % 93);
  return (head + 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3)).slice(0, Math.max(length, head.length));
}

/** About 10% of the keys get a delete marker after their v3. */
export const deletedAfterInstant = (i: number): boolean => mix(i, 0x51ed270b) % 10 === 0;

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

async function pool(count: number, inFlight: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(inFlight, count) }, async () => {
    while (next < count) await work(next++);
  });
  await Promise.all(workers);
}

export async function createVersionedBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

/** Writes version `version` of every key to every bucket, `inFlight` PutObject calls at once. */
export async function putVersion(
  s3: S3Client,
  buckets: readonly string[],
  keys: number,
  version: number,
  inFlight: number,
): Promise<number> {
  await pool(keys * buckets.length, inFlight, async (n) => {
    const i = Math.floor(n / buckets.length);
    await s3.send(
      new PutObjectCommand({
        Bucket: buckets[n % buckets.length],
        Key: keyName(i),
        Body: body(i, version),
        ContentType: 'text/plain',
      }),
    );
  });
  return keys * buckets.length;
}

/** Puts delete markers on the chosen keys, 1,000 per DeleteObjects call. Returns [keys deleted, calls]. */
export async function deleteChosen(
  s3: S3Client,
  buckets: readonly string[],
  keys: number,
  inFlight: number,
): Promise<[number, number]> {
  const chosen: string[] = [];
  for (let i = 0; i < keys; i++) if (deletedAfterInstant(i)) chosen.push(keyName(i));
  const batches: [string, string[]][] = [];
  for (const bucket of buckets) {
    for (let i = 0; i < chosen.length; i += 1000) batches.push([bucket, chosen.slice(i, i + 1000)]);
  }
  await pool(batches.length, inFlight, async (n) => {
    const [bucket, batch] = batches[n];
    const out = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
    );
    if (out.Errors?.length) throw new Error(`DeleteObjects refused ${out.Errors.length} keys in ${bucket}`);
  });
  return [chosen.length, batches.length];
}

export interface Verification {
  readonly passed: boolean;
  /** Keys whose current version is the expected one (by ETag = MD5 of the expected body, and size). */
  readonly matching: number;
  readonly expected: number;
  readonly missing: number;
  readonly wrong: number;
  readonly unexpected: number;
  /** Keys read back with GetObject, and how many of those bodies differed. */
  readonly sampled: number;
  readonly sampleMismatches: number;
  readonly examples: string[];
  readonly seconds: number;
}

/**
 * Checks every key's current state with ListObjectsV2 (current versions only: one call per 1,000
 * keys, ETag and size compared with the expected version's body) and reads a random sample of keys
 * back with GetObject. `expectedVersion(i)` is the version that should be current, or undefined if
 * the key should be absent. Keys under `.drctl/` (the restore ledger) are ignored.
 */
export async function verifyCurrentState(
  s3: S3Client,
  bucket: string,
  keys: number,
  expectedVersion: (i: number) => number | undefined,
  sampleSize: number,
  seed: number,
): Promise<Verification> {
  const started = process.hrtime.bigint();
  const indexOf = new Map<string, number>();
  for (let i = 0; i < keys; i++) indexOf.set(keyName(i), i);
  const seen = new Set<number>();
  let matching = 0;
  let wrong = 0;
  let unexpected = 0;
  const examples: string[] = [];
  const note = (s: string) => examples.length < 5 && examples.push(s);
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (o.Key!.startsWith('.drctl/')) continue;
      const i = indexOf.get(o.Key!);
      const v = i === undefined ? undefined : expectedVersion(i);
      if (i === undefined || v === undefined) {
        unexpected++;
        note(`${o.Key} is present, expected absent`);
        continue;
      }
      seen.add(i);
      const want = body(i, v);
      if (o.ETag?.replace(/"/g, '') === md5(want) && o.Size === Buffer.byteLength(want)) matching++;
      else {
        wrong++;
        note(
          `${o.Key}: ETag ${o.ETag} size ${o.Size}, expected v${v} (${md5(want)}, ${Buffer.byteLength(want)} bytes)`,
        );
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  let expected = 0;
  let missing = 0;
  for (let i = 0; i < keys; i++) {
    if (expectedVersion(i) === undefined) continue;
    expected++;
    if (!seen.has(i)) {
      missing++;
      note(`${keyName(i)} is absent, expected v${expectedVersion(i)}`);
    }
  }

  const sample = new Set<number>();
  for (let n = 0; sample.size < Math.min(sampleSize, keys); n++) sample.add(mix(n, seed) % keys);
  const sampled = [...sample];
  let sampleMismatches = 0;
  await pool(sampled.length, 16, async (n) => {
    const i = sampled[n];
    const v = expectedVersion(i);
    let got: string | undefined;
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keyName(i) }));
      got = await out.Body!.transformToString();
    } catch (err) {
      if ((err as { name?: string }).name !== 'NoSuchKey') throw err;
    }
    const want = v === undefined ? undefined : body(i, v);
    if (got !== want) {
      sampleMismatches++;
      note(`GetObject ${keyName(i)}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
  });
  return {
    passed: matching === expected && missing === 0 && wrong === 0 && unexpected === 0 && sampleMismatches === 0,
    matching,
    expected,
    missing,
    wrong,
    unexpected,
    sampled: sampled.length,
    sampleMismatches,
    examples,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}
