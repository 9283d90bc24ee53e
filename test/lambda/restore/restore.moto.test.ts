import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { ledgerKey } from '../../../lambda/lib/restore/executor';
import { restoreToInstant, RestoreInputError } from '../../../lambda/lib/restore/restore';
import {
  allVersions,
  contents,
  del,
  motoS3,
  newBucket,
  nextSecond,
  put,
} from '../../../tools/test-support/s3-fixtures';

// Integration tests against moto server (started by the test command), on real versioned buckets.
const s3 = motoS3();
const MiB = 1024 * 1024;

/** Upload `key` in parts of these sizes, every byte `fill`, as an SDK or the console would. */
async function putInParts(
  bucket: string,
  key: string,
  sizes: number[],
  fill: number,
  extra: Record<string, unknown> = {},
): Promise<{ ETag?: string; VersionId?: string }> {
  const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...extra }));
  const parts = [];
  for (const [i, size] of sizes.entries()) {
    const out = await s3.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId: upload.UploadId,
        PartNumber: i + 1,
        Body: new Uint8Array(size).fill(fill),
      }),
    );
    parts.push({ ETag: out.ETag, PartNumber: i + 1 });
  }
  return s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      UploadId: upload.UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
}

async function scenario() {
  const bucket = await newBucket(s3);
  await put(s3, bucket, 'index.html', 'home v1');
  await put(s3, bucket, 'about.html', 'about v1');
  await put(s3, bucket, 'style.css', 'css v1');
  const instant = await nextSecond();
  await put(s3, bucket, 'index.html', 'home v2 (bad)');
  await del(s3, bucket, 'about.html');
  await put(s3, bucket, 'new.html', 'not there at the instant');
  return { bucket, instant, expected: { 'index.html': 'home v1', 'about.html': 'about v1', 'style.css': 'css v1' } };
}

// Each test works on a bucket of its own and spends most of its time waiting for S3's one-second
// timestamps (nextSecond), so the tests run concurrently (jest's maxConcurrency at a time).
describe('restore on moto', () => {
  test.concurrent('a dry run plans, counts and writes nothing', async () => {
    const { bucket, instant } = await scenario();
    const before = await allVersions(s3, bucket);
    const result = await restoreToInstant({ bucket, instant, apply: false }, { s3 });
    expect(result).toMatchObject({ status: 'done', dryRun: true, totals: { keys: 4, copies: 2, deletes: 1 } });
    expect(result.sample.map((a) => [a.type, a.key])).toEqual([
      ['copy', 'about.html'],
      ['copy', 'index.html'],
      ['delete', 'new.html'],
    ]);
    expect(result.calls).toEqual({ GetBucketLifecycleConfiguration: 1, GetBucketVersioning: 1, ListObjectVersions: 1 });
    expect(await allVersions(s3, bucket)).toEqual(before);
  });

  test.concurrent('--apply puts the bucket back to exactly its state at the instant, with minimal calls', async () => {
    const { bucket, instant, expected } = await scenario();
    const result = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
    expect(result.status).toBe('done');
    expect(result.calls).toEqual({
      CopyObject: 2,
      DeleteObjects: 1,
      GetBucketLifecycleConfiguration: 1,
      GetBucketVersioning: 1,
      ListObjectVersions: 1,
    });
    expect(await contents(s3, bucket)).toEqual(expected);
  });

  test.concurrent(
    'history is kept: the restore only adds versions and delete markers, so it can be undone',
    async () => {
      const { bucket, instant } = await scenario();
      const before = await allVersions(s3, bucket);
      await restoreToInstant({ bucket, instant, apply: true }, { s3 });
      const after = await allVersions(s3, bucket);
      expect(after.length).toBe(before.length + 3);
      for (const v of before) expect(after.map((a) => a.VersionId)).toContain(v.VersionId);
    },
  );

  test.concurrent('a second run after success is a no-op', async () => {
    const { bucket, instant } = await scenario();
    await restoreToInstant({ bucket, instant, apply: true }, { s3 });
    const again = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
    expect(again.totals).toMatchObject({ copies: 0, deletes: 0 });
    expect(again.calls).toEqual({ GetBucketLifecycleConfiguration: 1, GetBucketVersioning: 1, ListObjectVersions: 1 });
  });

  test.concurrent(
    'an instant older than the bucket keeps replaced versions is refused, with the cutoff; nothing is written',
    async () => {
      const { bucket } = await scenario();
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: 'other-prefix',
                Status: 'Enabled',
                Filter: { Prefix: 'logs/' },
                NoncurrentVersionExpiration: { NoncurrentDays: 1 },
              },
              {
                ID: 'expire-replaced',
                Status: 'Enabled',
                Filter: { Prefix: '' },
                NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              },
            ],
          },
        }),
      );
      const before = await allVersions(s3, bucket);
      const now = new Date('2026-11-28T12:00:00Z');
      const at = (prefix: string, instant: string) =>
        restoreToInstant({ bucket, prefix, instant: new Date(instant), apply: true }, { s3, now: () => now });
      // Under releases/ only the 30-day rule applies: 18 days back passes this check...
      await expect(at('releases/', '2026-11-10T00:00:00Z')).rejects.toThrow(/is before the first version/);
      // ...31 days back does not.
      await expect(at('releases/', '2026-10-28T00:00:00Z')).rejects.toThrow(
        new RestoreInputError(
          `the instant 2026-10-28T00:00:00.000Z is older than bucket "${bucket}" prefix "releases/" keeps replaced versions (30 days, lifecycle rule "expire-replaced"): versions current then may have expired, so the state at that instant cannot be rebuilt. Choose an instant after 2026-10-29T12:00:00.000Z, or restore from AWS Backup. Nothing was written`,
        ),
      );
      // The whole bucket includes logs/, held to the 1-day rule; so is a prefix inside logs/.
      await expect(at('', '2026-11-26T00:00:00Z')).rejects.toThrow(/\(1 days, lifecycle rule "other-prefix"\)/);
      await expect(at('logs/2026/', '2026-11-26T00:00:00Z')).rejects.toThrow(
        /\(1 days, lifecycle rule "other-prefix"\)/,
      );
      expect(await allVersions(s3, bucket)).toEqual(before);
    },
  );

  test.concurrent('a prefix restore touches only that prefix', async () => {
    const bucket = await newBucket(s3);
    await put(s3, bucket, 'releases/r1/index.html', 'r1');
    await put(s3, bucket, 'other/keep.txt', 'keep v1');
    const instant = await nextSecond();
    await put(s3, bucket, 'releases/r1/index.html', 'r1 broken');
    await put(s3, bucket, 'other/keep.txt', 'keep v2');
    const result = await restoreToInstant({ bucket, prefix: 'releases/', instant, apply: true }, { s3 });
    expect(result.totals.copies).toBe(1);
    expect(await contents(s3, bucket)).toEqual({ 'releases/r1/index.html': 'r1', 'other/keep.txt': 'keep v2' });
  });

  test.concurrent('keys split across pages, pages of delete markers only, and null version ids', async () => {
    const bucket = await newBucket(s3, { versioned: false });
    await put(s3, bucket, 'a-pre-versioning.txt', 'null version');
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await put(s3, bucket, 'b-many.txt', 'b1');
    await put(s3, bucket, 'b-many.txt', 'b2');
    await put(s3, bucket, 'b-many.txt', 'b3');
    await put(s3, bucket, 'c-deleted.txt', 'c1');
    const instant = await nextSecond();
    await put(s3, bucket, 'a-pre-versioning.txt', 'overwritten');
    for (let i = 0; i < 4; i++) await del(s3, bucket, 'c-deleted.txt'); // a run of delete markers
    await put(s3, bucket, 'b-many.txt', 'b4');
    await put(s3, bucket, 'b-many.txt', 'b5');

    const result = await restoreToInstant({ bucket, instant, apply: true }, { s3, pageSize: 2 });
    expect(result.status).toBe('done');
    expect(result.calls.ListObjectVersions).toBe(Math.ceil(12 / 2));
    expect(await contents(s3, bucket)).toEqual({
      'a-pre-versioning.txt': 'null version',
      'b-many.txt': 'b3',
      'c-deleted.txt': 'c1',
    });
  });

  test.concurrent('a paused restore carries on from its checkpoint and ends in the same state', async () => {
    const bucket = await newBucket(s3);
    for (let i = 0; i < 6; i++) await put(s3, bucket, `page-${i}.html`, `v1 ${i}`);
    const instant = await nextSecond();
    for (let i = 0; i < 6; i++) await put(s3, bucket, `page-${i}.html`, `v2 ${i}`);

    let pauses = 0;
    let result = await restoreToInstant({ bucket, instant, apply: true }, { s3, pageSize: 3, shouldPause: () => true });
    while (result.status === 'paused') {
      pauses++;
      expect(result.checkpoint!.position.keyMarker).toMatch(/^page-\d\.html$/);
      result = await restoreToInstant(
        { bucket, instant, apply: true, checkpoint: result.checkpoint },
        { s3, pageSize: 3, shouldPause: () => true },
      );
    }
    expect(pauses).toBeGreaterThan(1);
    expect(result.status).toBe('done');
    expect(result.totals.copies).toBe(6);
    const expected = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`page-${i}.html`, `v1 ${i}`]));
    expect(await contents(s3, bucket)).toEqual(expected);
  });

  test.concurrent('a run cut off half way finishes when run again', async () => {
    const { bucket, instant, expected } = await scenario();
    const first = await restoreToInstant(
      { bucket, instant, apply: true },
      { s3, pageSize: 2, shouldPause: () => true },
    );
    expect(first.status).toBe('paused');
    // The operator ignores the checkpoint and simply runs it again from the start.
    const second = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
    expect(second.status).toBe('done');
    expect(await contents(s3, bucket)).toEqual(expected);
  });

  test.concurrent('many deletes before the instant is confirmed: held, then a second pass, still exact', async () => {
    const bucket = await newBucket(s3);
    await put(s3, bucket, 'zz-old.txt', 'old');
    const instant = await nextSecond();
    for (let i = 0; i < 5; i++) await put(s3, bucket, `a-new-${i}.txt`, 'new');
    // Pages of 2: the 5 new keys come first in key order, so 3 deletes are held before "zz-old.txt"
    // proves the instant valid; that overflows a hold limit of 2 and the restore lists again.
    const result = await restoreToInstant({ bucket, instant, apply: true }, { s3, holdLimit: 2, pageSize: 2 });
    expect(result.totals.deletes).toBe(5);
    expect(result.calls.ListObjectVersions).toBe(3 + 3);
    expect(result.timeline.map((e) => e.event)).toContain(
      'second pass: deletes were held until the instant was validated',
    );
    expect(await contents(s3, bucket)).toEqual({ 'zz-old.txt': 'old' });
  });

  test.concurrent(
    'a multipart source is copied in its own parts, keeping its ETag and metadata; the ledger makes a re-run a no-op',
    async () => {
      const bucket = await newBucket(s3);
      const source = await putInParts(bucket, 'video.bin', [5 * MiB, 5 * MiB, MiB], 7, {
        ContentType: 'video/mp4',
        Metadata: { owner: 'jane' },
        CacheControl: 'max-age=5',
      });
      const instant = await nextSecond();
      await put(s3, bucket, 'video.bin', 'truncated');

      const result = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
      expect(result.status).toBe('done');
      expect(result.calls).toMatchObject({
        HeadObject: 1,
        UploadPartCopy: 3,
        CompleteMultipartUpload: 1,
        CreateMultipartUpload: 1,
        PutObject: 1,
      });
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'video.bin' }));
      expect(head).toMatchObject({
        ETag: source.ETag,
        ContentLength: 11 * MiB,
        ContentType: 'video/mp4',
        Metadata: { owner: 'jane' },
        CacheControl: 'max-age=5',
      });

      const again = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
      expect(again.totals).toMatchObject({ copies: 0, settledByLedger: 1, ledgerClaimsRejected: 0 });
      expect(again.calls.UploadPartCopy).toBeUndefined();
    },
  );

  test.concurrent(
    'parts of unequal sizes: every part size is read, and the copy still carries the source ETag',
    async () => {
      const bucket = await newBucket(s3);
      // 6, 5, 6 MiB: the first part's size suggests 6, 6, 5, which would give another ETag.
      const source = await putInParts(bucket, 'odd.bin', [6 * MiB, 5 * MiB, 6 * MiB], 3);
      const instant = await nextSecond();
      await put(s3, bucket, 'odd.bin', 'defaced');
      const result = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
      expect(result.status).toBe('done');
      expect(result.calls).toMatchObject({ HeadObject: 3, UploadPartCopy: 6, AbortMultipartUpload: 1 });
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'odd.bin' }));
      expect(head.ETag).toBe(source.ETag);
      const again = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
      expect(again.totals).toMatchObject({ copies: 0, settledByLedger: 1 });
    },
  );

  test.concurrent('a forged ledger entry does not settle a defaced multipart object', async () => {
    const bucket = await newBucket(s3);
    const good = await putInParts(bucket, 'cv.pdf', [5 * MiB, MiB], 1);
    const instant = await nextSecond();
    // The attacker replaces it with content of the same size and part layout, and writes a ledger
    // entry saying the defaced version is the restore's copy of the good one.
    const defaced = await putInParts(bucket, 'cv.pdf', [5 * MiB, MiB], 66);
    expect(defaced.ETag).not.toBe(good.ETag);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: ledgerKey('cv.pdf'),
        Body: JSON.stringify({ key: 'cv.pdf', copies: { [defaced.VersionId!]: good.VersionId } }),
      }),
    );

    const result = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
    expect(result.totals).toMatchObject({ copies: 1, settledByLedger: 0, ledgerClaimsRejected: 1 });
    expect(result.timeline.find((e) => e.event === 'ledger claim rejected')?.detail).toEqual({
      key: 'cv.pdf',
      currentVersionId: defaced.VersionId,
      claimedSource: good.VersionId,
      target: good.VersionId,
    });
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cv.pdf' }))
    ).Body!.transformToByteArray();
    expect(body.every((b) => b === 1)).toBe(true);
    // The restore's own copy is then recognised.
    const again = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
    expect(again.totals).toMatchObject({ copies: 0, settledByLedger: 1 });
  });

  test.concurrent('a ledger entry that is not a ledger document is no claim', async () => {
    const bucket = await newBucket(s3);
    await putInParts(bucket, 'a.bin', [5 * MiB, MiB], 1);
    const instant = await nextSecond();
    await put(s3, bucket, 'a.bin', 'defaced');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: ledgerKey('a.bin'), Body: 'not json {' }));
    const result = await restoreToInstant({ bucket, instant, apply: true }, { s3 });
    expect(result).toMatchObject({ status: 'done', totals: { copies: 1, settledByLedger: 0 } });
  });

  test.concurrent('an unversioned bucket is refused, nothing written', async () => {
    const bucket = await newBucket(s3, { versioned: false });
    await put(s3, bucket, 'x', 'y');
    await expect(
      restoreToInstant({ bucket, instant: new Date(Date.now() - 1000), apply: true }, { s3 }),
    ).rejects.toThrow(
      new RestoreInputError(
        `bucket "${bucket}" is not versioned (versioning: never enabled); a point-in-time restore needs version history. Nothing was written`,
      ),
    );
  });

  test.concurrent('an instant in the future is refused', async () => {
    const bucket = await newBucket(s3);
    const now = new Date('2030-01-01T00:00:00Z');
    await expect(
      restoreToInstant({ bucket, instant: new Date('2030-01-02T00:00:00Z'), apply: true }, { s3, now: () => now }),
    ).rejects.toThrow(
      'the instant 2030-01-02T00:00:00.000Z is in the future (now 2030-01-01T00:00:00.000Z); nothing was written',
    );
  });

  test.concurrent('an instant before the first version is refused, nothing written', async () => {
    const bucket = await newBucket(s3);
    await put(s3, bucket, 'a', '1');
    await put(s3, bucket, 'b', '2');
    const before = await allVersions(s3, bucket);
    const err = await restoreToInstant(
      { bucket, instant: new Date('2001-01-01T00:00:00Z'), apply: true },
      { s3 },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(RestoreInputError);
    expect(err.message).toMatch(
      new RegExp(
        `^the instant 2001-01-01T00:00:00.000Z is before the first version in bucket "${bucket}" \\(the earliest is \\S+\\); nothing was written$`,
      ),
    );
    expect(await allVersions(s3, bucket)).toEqual(before);
  });

  test.concurrent('keys with spaces, unicode and slashes are copied from the right source', async () => {
    const bucket = await newBucket(s3);
    const keys = ['dir/a file.html', 'é/ü+plus.txt', 'q?x=1&y=2'];
    for (const k of keys) await put(s3, bucket, k, `old ${k}`);
    const instant = await nextSecond();
    for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: 'new' }));
    await restoreToInstant({ bucket, instant, apply: true }, { s3 });
    for (const k of keys) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: k }))).Body!.transformToString();
      expect(body).toBe(`old ${k}`);
    }
  });
});
