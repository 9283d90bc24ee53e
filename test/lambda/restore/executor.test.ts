import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompleteMultipartUploadCommandInput,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  type DeleteObjectsCommandInput,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
  type UploadPartCopyCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { CallCounter } from '../../../lambda/lib/call-counter';
import {
  copySource,
  copyVersion,
  DELETE_BATCH,
  deleteKeys,
  type ExecutorContext,
  LEDGER_PREFIX,
  ledgerClaimHolds,
  ledgerKey,
  MAX_PARTS,
  MAX_SINGLE_COPY_BYTES,
  multipartEtag,
  readLedger,
} from '../../../lambda/lib/restore/executor';

// The restore executor against a fake versioned bucket that gives ETags as S3 does for SSE-S3 or
// unencrypted objects: a part's ETag is the MD5 of its bytes, a completed multipart upload's the MD5
// of its parts' MD5s plus "-<parts>", a CopyObject copy keeps its source's single-part ETag.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html (ETag)
// The fake holds no bytes: a byte range's "MD5" is the MD5 of the version's content id and the range,
// so that equal ranges of equal content have equal ETags and objects of any size cost nothing.

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

interface FakeVersion {
  readonly content: string;
  readonly size: number;
  /** Part sizes of a multipart upload; undefined for a single-part object. */
  readonly parts?: readonly number[];
  readonly etag: string;
}

function rangeEtag(content: string, start: number, end: number) {
  return `"${md5(`${content}:${start}-${end}`)}"`;
}

function etagOf(content: string, size: number, parts?: readonly number[]): string {
  if (parts === undefined) return `"${md5(`${content}:whole`)}"`;
  let start = 0;
  const etags = parts.map((p) => {
    const e = rangeEtag(content, start, start + p - 1);
    start += p;
    return e;
  });
  expect(start).toBe(size);
  return multipartEtag(etags);
}

function fakeBucket(options: { kms?: boolean } = {}) {
  const s3 = new S3Client({ region: 'us-east-1' });
  const mock = mockClient(s3);
  const versions = new Map<string, FakeVersion>();
  const ledger = new Map<string, string>();
  const aborted: string[] = [];
  let next = 0;
  const uploads = new Map<string, { key: string; parts: Map<number, { range: [number, number]; content: string }> }>();

  const add = (content: string, size: number, parts?: readonly number[]) => {
    const id = `v${++next}`;
    versions.set(id, { content, size, parts, etag: etagOf(content, size, parts) });
    return { versionId: id, etag: versions.get(id)!.etag };
  };
  const versionOf = (copySourceValue: string) =>
    versions.get(new URL(`s3://${copySourceValue}`).searchParams.get('versionId')!)!;

  mock.on(HeadObjectCommand).callsFake((input) => {
    const v = versions.get(input.VersionId!)!;
    return { ContentLength: v.parts ? v.parts[input.PartNumber! - 1] : v.size, PartsCount: v.parts?.length };
  });
  mock.on(GetObjectCommand).callsFake((input) => {
    if ((input.Key as string).startsWith(LEDGER_PREFIX)) {
      const text = ledger.get(input.Key!);
      if (text === undefined)
        throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { Body: { transformToString: async () => text } };
    }
    return {
      Body: { transformToByteArray: async () => new Uint8Array(1) },
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'max-age=60',
      ContentDisposition: 'inline',
      ContentEncoding: 'gzip',
      ContentLanguage: 'en',
      Expires: new Date('2030-01-01T00:00:00Z'),
      Metadata: { author: 'me' },
    };
  });
  mock.on(PutObjectCommand).callsFake((input) => {
    ledger.set(input.Key!, input.Body as string);
    return {};
  });
  mock.on(CopyObjectCommand).callsFake((input) => {
    const source = versionOf(input.CopySource!);
    return { VersionId: add(source.content, source.size).versionId };
  });
  mock.on(CreateMultipartUploadCommand).callsFake((input) => {
    const id = `upload-${uploads.size + 1}`;
    uploads.set(id, { key: input.Key!, parts: new Map() });
    return { UploadId: id };
  });
  mock.on(UploadPartCopyCommand).callsFake((input: UploadPartCopyCommandInput) => {
    const source = versionOf(input.CopySource!);
    const [start, end] = /^bytes=(\d+)-(\d+)$/.exec(input.CopySourceRange!)!.slice(1).map(Number);
    expect(end).toBeLessThan(source.size);
    uploads.get(input.UploadId!)!.parts.set(input.PartNumber!, { range: [start, end], content: source.content });
    const etag = options.kms ? `"${md5(`kms-${Math.random()}`)}"` : rangeEtag(source.content, start, end);
    return { CopyPartResult: { ETag: etag } };
  });
  mock.on(CompleteMultipartUploadCommand).callsFake((input: CompleteMultipartUploadCommandInput) => {
    const upload = uploads.get(input.UploadId!)!;
    const parts = input.MultipartUpload!.Parts!.map((p) => upload.parts.get(p.PartNumber!)!);
    const content = parts[0].content;
    const sizes = parts.map((p) => p.range[1] - p.range[0] + 1);
    const size = sizes.reduce((a, b) => a + b, 0);
    const created = add(content, size, sizes);
    const etag = options.kms ? multipartEtag(input.MultipartUpload!.Parts!.map((p) => p.ETag!)) : created.etag;
    return { VersionId: created.versionId, ETag: etag };
  });
  mock.on(AbortMultipartUploadCommand).callsFake(async (input) => {
    aborted.push(input.UploadId!);
    return {};
  });
  const calls = new CallCounter();
  const ctx: ExecutorContext = { s3, bucket: 'site', calls };
  const ranges = () =>
    mock.commandCalls(UploadPartCopyCommand).map((c) => [c.args[0].input.PartNumber, c.args[0].input.CopySourceRange]);
  return { s3, mock, ctx, calls, add, versions, ledger, aborted, ranges };
}

describe('copySource', () => {
  test.each([
    ['index.html', undefined, 'site/index.html'],
    ['a b/c+d.html', 'v1', 'site/a%20b/c%2Bd.html?versionId=v1'],
    ['é/?x=1#y', 'null', 'site/%C3%A9/%3Fx%3D1%23y?versionId=null'],
    ['k', 'a+b/c=', 'site/k?versionId=a%2Bb%2Fc%3D'],
  ])('%s (version %s) -> %s', (key, versionId, expected) => {
    expect(copySource('site', key, versionId)).toBe(expected);
  });
});

test('the ledger key is the SHA-256 of the object key under the ledger prefix', () => {
  expect(ledgerKey('releases/r1/big.zip')).toBe(
    `.drctl/restore-ledger/${createHash('sha256').update('releases/r1/big.zip').digest('hex')}.json`,
  );
});

test("multipartEtag is the MD5 of the parts' binary MD5s, then the part count", () => {
  const parts = ['"' + md5('a') + '"', md5('b')];
  const expected = createHash('md5')
    .update(Buffer.concat([Buffer.from(md5('a'), 'hex'), Buffer.from(md5('b'), 'hex')]))
    .digest('hex');
  expect(multipartEtag(parts)).toBe(`"${expected}-2"`);
});

describe('copyVersion of a single-part version', () => {
  test('up to the threshold: one CopyObject onto the key, metadata and tags kept', async () => {
    const b = fakeBucket();
    const v = b.add('home', 10);
    const id = await copyVersion(
      { ...b.ctx, multipartThresholdBytes: 10 },
      { key: 'a b.html', sourceVersionId: v.versionId, size: 10, etag: v.etag },
    );
    expect(id).toBe('v2');
    expect(b.mock.commandCalls(CopyObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'site',
        Key: 'a b.html',
        CopySource: `site/a%20b.html?versionId=${v.versionId}`,
        MetadataDirective: 'COPY',
        TaggingDirective: 'COPY',
      },
    ]);
    expect(b.calls.toJSON()).toEqual({ CopyObject: 1 });
    expect(b.ledger.size).toBe(0);
  });

  test('5 GiB is the default limit of one CopyObject', async () => {
    const b = fakeBucket();
    const v = b.add('video', MAX_SINGLE_COPY_BYTES);
    expect(MAX_SINGLE_COPY_BYTES).toBe(5 * 1024 ** 3);
    await copyVersion(b.ctx, { key: 'v.mp4', sourceVersionId: v.versionId, size: MAX_SINGLE_COPY_BYTES, etag: v.etag });
    expect(b.calls.toJSON()).toEqual({ CopyObject: 1 });
  });

  test('above 5 GiB: a multipart copy in 512 MiB parts, each range once, the last part short', async () => {
    const b = fakeBucket();
    const size = MAX_SINGLE_COPY_BYTES + 1;
    const v = b.add('video', size);
    const id = await copyVersion(b.ctx, { key: 'v.mp4', sourceVersionId: v.versionId, size, etag: v.etag });
    expect(id).toBe('v2');
    const MiB = 1024 ** 2;
    const ranges = b.ranges();
    expect(ranges).toHaveLength(11);
    expect(ranges[0]).toEqual([1, `bytes=0-${512 * MiB - 1}`]);
    expect(ranges[9]).toEqual([10, `bytes=${9 * 512 * MiB}-${10 * 512 * MiB - 1}`]);
    expect(ranges[10]).toEqual([11, `bytes=${10 * 512 * MiB}-${10 * 512 * MiB}`]);
    expect(b.calls.toJSON()).toEqual({
      CompleteMultipartUpload: 1,
      CreateMultipartUpload: 1,
      GetObject: 1,
      UploadPartCopy: 11,
    });
    expect(b.versions.get('v2')!.size).toBe(size);
  });

  test('a multipart copy carries the metadata a CreateMultipartUpload does not copy', async () => {
    const b = fakeBucket();
    const v = b.add('page', 25);
    await copyVersion(
      { ...b.ctx, multipartThresholdBytes: 10, partSizeBytes: 10 },
      { key: 'p.html', sourceVersionId: v.versionId, size: 25, etag: v.etag },
    );
    expect(b.mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'site',
      Key: 'p.html',
      VersionId: v.versionId,
      Range: 'bytes=0-0',
    });
    expect(b.mock.commandCalls(CreateMultipartUploadCommand)[0].args[0].input).toEqual({
      Bucket: 'site',
      Key: 'p.html',
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'max-age=60',
      ContentDisposition: 'inline',
      ContentEncoding: 'gzip',
      ContentLanguage: 'en',
      Expires: new Date('2030-01-01T00:00:00Z'),
      Metadata: { author: 'me' },
    });
    expect(b.ranges()).toEqual([
      [1, 'bytes=0-9'],
      [2, 'bytes=10-19'],
      [3, 'bytes=20-24'],
    ]);
    const upload = b.mock.commandCalls(UploadPartCopyCommand)[0].args[0].input;
    expect(upload).toMatchObject({
      Bucket: 'site',
      Key: 'p.html',
      UploadId: 'upload-1',
      CopySource: `site/p.html?versionId=${v.versionId}`,
    });
    const complete = b.mock.commandCalls(CompleteMultipartUploadCommand)[0].args[0].input;
    expect(complete).toMatchObject({ Bucket: 'site', Key: 'p.html', UploadId: 'upload-1' });
    expect(complete.MultipartUpload!.Parts!.map((p) => p.PartNumber)).toEqual([1, 2, 3]);
    expect(complete.MultipartUpload!.Parts![2].ETag).toBe(rangeEtag('page', 20, 24));
  });

  test('a size that is a whole number of parts has no empty last part', async () => {
    const b = fakeBucket();
    const v = b.add('page', 20);
    await copyVersion(
      { ...b.ctx, multipartThresholdBytes: 10, partSizeBytes: 10 },
      { key: 'p.html', sourceVersionId: v.versionId, size: 20, etag: v.etag },
    );
    expect(b.ranges()).toEqual([
      [1, 'bytes=0-9'],
      [2, 'bytes=10-19'],
    ]);
    expect(b.versions.get('v2')!.etag).toBe(etagOf('page', 20, [10, 10]));
  });

  test.each([
    ['a lowered part size', 1, 10_001, 'bytes=0-1'],
    [
      '512 MiB parts for 5 TiB (S3 largest object)',
      undefined,
      5 * 1024 ** 4,
      `bytes=0-${Math.ceil((5 * 1024 ** 4) / 10000) - 1}`,
    ],
  ])(
    'never more than 10,000 parts: the part size grows with the object (%s)',
    async (_name, partSizeBytes, size, first) => {
      const b = fakeBucket();
      const v = b.add('big', size);
      // Only the first part is looked at: the copy stops there (and is aborted).
      b.mock.on(UploadPartCopyCommand).rejects(Object.assign(new Error('stop'), { name: 'Stop' }));
      await expect(
        copyVersion(
          { ...b.ctx, multipartThresholdBytes: 1, partSizeBytes },
          { key: 'big', sourceVersionId: v.versionId, size, etag: v.etag },
        ),
      ).rejects.toThrow('stop');
      expect(b.mock.commandCalls(UploadPartCopyCommand)[0].args[0].input.CopySourceRange).toBe(first);
      expect(b.aborted).toEqual(['upload-1']);
    },
  );
});

describe('copyVersion of a multipart version', () => {
  test('10,000 parts (S3 maximum) are copied; an ETag claiming 10,001 is refused before any request', async () => {
    const b = fakeBucket();
    const parts = Array.from({ length: MAX_PARTS }, () => 1);
    const v = b.add('max', MAX_PARTS, parts);
    expect(v.etag).toMatch(/-10000"$/);
    // Only the first part is looked at: the copy stops there (and is aborted). Equal parts need no
    // other part's size: reading one fails the test at once rather than after 9,999 reads.
    b.mock.on(UploadPartCopyCommand).rejects(Object.assign(new Error('stop'), { name: 'Stop' }));
    b.mock.on(HeadObjectCommand, { PartNumber: 2 }).rejects(new Error('part 2 read'));
    await expect(
      copyVersion(b.ctx, { key: 'max', sourceVersionId: v.versionId, size: MAX_PARTS, etag: v.etag }),
    ).rejects.toThrow('stop');
    expect(b.mock.commandCalls(UploadPartCopyCommand)[0].args[0].input.CopySourceRange).toBe('bytes=0-0');

    const forged = fakeBucket();
    const etag = `"${md5('x')}-10001"`;
    await expect(
      copyVersion(forged.ctx, { key: 'big.zip', sourceVersionId: 'v7', size: 10_001, etag }),
    ).rejects.toThrow(`big.zip (version v7): ETag ${etag} claims 10001 parts, more than S3's 10000`);
    expect(forged.mock.calls()).toHaveLength(0);
  });

  test('equal parts: copied with the same boundaries, the copy has the source ETag, and the ledger records it', async () => {
    const b = fakeBucket();
    const v = b.add('archive', 25, [10, 10, 5]);
    const id = await copyVersion(b.ctx, { key: 'a.zip', sourceVersionId: v.versionId, size: 25, etag: v.etag });
    expect(id).toBe('v2');
    expect(b.versions.get('v2')!.etag).toBe(v.etag);
    expect(b.ranges()).toEqual([
      [1, 'bytes=0-9'],
      [2, 'bytes=10-19'],
      [3, 'bytes=20-24'],
    ]);
    expect(b.mock.commandCalls(HeadObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'site', Key: 'a.zip', VersionId: v.versionId, PartNumber: 1 },
    ]);
    expect(b.aborted).toEqual([]);
    expect(b.mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'site',
        Key: ledgerKey('a.zip'),
        Body: JSON.stringify({ key: 'a.zip', copies: { v2: v.versionId } }),
        ContentType: 'application/json',
      },
    ]);
    expect(await readLedger(b.ctx, 'a.zip')).toEqual({ v2: v.versionId });
    expect(b.calls.toJSON()).toEqual({
      CompleteMultipartUpload: 1,
      CreateMultipartUpload: 1,
      GetObject: 3,
      HeadObject: 1,
      PutObject: 1,
      UploadPartCopy: 3,
    });
  });

  test('a 12-part upload is copied in 12 parts', async () => {
    const b = fakeBucket();
    const v = b.add('x', 23, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
    expect(v.etag).toMatch(/-12"$/);
    await copyVersion(b.ctx, { key: 'x', sourceVersionId: v.versionId, size: 23, etag: v.etag });
    expect(b.ranges()).toHaveLength(12);
    expect(b.versions.get('v2')!.etag).toBe(v.etag);
  });

  test('unequal parts: the even attempt is aborted, each part size read, and the copy made again with them', async () => {
    const b = fakeBucket();
    const v = b.add('odd', 13, [5, 3, 5]);
    const id = await copyVersion(b.ctx, { key: 'odd', sourceVersionId: v.versionId, size: 13, etag: v.etag });
    expect(b.aborted).toEqual(['upload-1']);
    expect(b.mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1);
    expect(b.ranges()).toEqual([
      [1, 'bytes=0-4'],
      [2, 'bytes=5-9'],
      [3, 'bytes=10-12'],
      [1, 'bytes=0-4'],
      [2, 'bytes=5-7'],
      [3, 'bytes=8-12'],
    ]);
    expect(b.mock.commandCalls(HeadObjectCommand).map((c) => c.args[0].input.PartNumber)).toEqual([1, 2, 3]);
    expect(b.versions.get(id!)!.etag).toBe(v.etag);
    expect(await readLedger(b.ctx, 'odd')).toEqual({ [id!]: v.versionId });
    expect(b.calls.get('AbortMultipartUpload')).toBe(1);
  });

  test('parts that cannot be even (a short first part): every part size is read first, nothing aborted', async () => {
    const b = fakeBucket();
    const v = b.add('odd', 7, [5, 1, 1]);
    await copyVersion(b.ctx, { key: 'odd', sourceVersionId: v.versionId, size: 7, etag: v.etag });
    expect(b.aborted).toEqual([]);
    expect(b.ranges()).toEqual([
      [1, 'bytes=0-4'],
      [2, 'bytes=5-5'],
      [3, 'bytes=6-6'],
    ]);
    expect(b.versions.get('v2')!.etag).toBe(v.etag);
  });

  test('a one-part upload is copied as one part without reading its size', async () => {
    const b = fakeBucket();
    const v = b.add('one', 9, [9]);
    await copyVersion(b.ctx, { key: 'one', sourceVersionId: v.versionId, size: 9, etag: v.etag });
    expect(b.mock.commandCalls(HeadObjectCommand)).toHaveLength(0);
    expect(b.ranges()).toEqual([[1, 'bytes=0-8']]);
    expect(b.versions.get('v2')!.etag).toBe(v.etag);
  });

  test('a copy that does not get the source ETag (SSE-KMS) is not recorded in the ledger', async () => {
    const b = fakeBucket({ kms: true });
    const v = b.add('enc', 4, [2, 2]);
    const id = await copyVersion(b.ctx, { key: 'enc', sourceVersionId: v.versionId, size: 4, etag: v.etag });
    expect(id).toBeDefined();
    expect(b.mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(b.ledger.size).toBe(0);
  });

  test('in a bucket without versioning (no VersionId) nothing is recorded', async () => {
    const b = fakeBucket();
    const v = b.add('a', 4, [2, 2]);
    b.mock.on(CompleteMultipartUploadCommand).resolves({ ETag: v.etag });
    expect(await copyVersion(b.ctx, { key: 'a', sourceVersionId: v.versionId, size: 4, etag: v.etag })).toBeUndefined();
    expect(b.ledger.size).toBe(0);
  });

  test('a new claim is added to the claims already in the ledger', async () => {
    const b = fakeBucket();
    b.ledger.set(ledgerKey('a'), JSON.stringify({ key: 'a', copies: { old: 'v0' } }));
    const v = b.add('a', 4, [2, 2]);
    const id = await copyVersion(b.ctx, { key: 'a', sourceVersionId: v.versionId, size: 4, etag: v.etag });
    expect(JSON.parse(b.ledger.get(ledgerKey('a'))!)).toEqual({ key: 'a', copies: { old: 'v0', [id!]: v.versionId } });
  });

  test('a part copy that fails aborts the upload and the error reaches the caller', async () => {
    const b = fakeBucket();
    const v = b.add('a', 4, [2, 2]);
    b.mock.on(UploadPartCopyCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(copyVersion(b.ctx, { key: 'a', sourceVersionId: v.versionId, size: 4, etag: v.etag })).rejects.toThrow(
      'Access Denied',
    );
    expect(b.aborted).toEqual(['upload-1']);
    expect(b.mock.commandCalls(AbortMultipartUploadCommand)[0].args[0].input).toEqual({
      Bucket: 'site',
      Key: 'a',
      UploadId: 'upload-1',
    });
    expect(b.ledger.size).toBe(0);
  });

  test('an abort that fails too does not hide the first error', async () => {
    const b = fakeBucket();
    const v = b.add('a', 4, [2, 2]);
    b.mock.on(CompleteMultipartUploadCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalError' }));
    b.mock.on(AbortMultipartUploadCommand).rejects(new Error('abort failed'));
    await expect(copyVersion(b.ctx, { key: 'a', sourceVersionId: v.versionId, size: 4, etag: v.etag })).rejects.toThrow(
      'internal',
    );
    expect(b.calls.get('AbortMultipartUpload')).toBe(1);
  });
});

describe('readLedger trusts only a well-formed entry for the key', () => {
  test.each<[string, string | undefined, Record<string, string>]>([
    ['no entry', undefined, {}],
    ['not JSON', '{"key": "a", ', {}],
    ['JSON null', 'null', {}],
    ['another key', JSON.stringify({ key: 'b', copies: { v2: 'v1' } }), {}],
    ['copies not an object', JSON.stringify({ key: 'a', copies: 'v1' }), {}],
    ['copies null', JSON.stringify({ key: 'a', copies: null }), {}],
    ['non-string claims dropped', JSON.stringify({ key: 'a', copies: { v2: 'v1', v3: 7 } }), { v2: 'v1' }],
  ])('%s', async (_name, text, expected) => {
    const b = fakeBucket();
    if (text !== undefined) b.ledger.set(ledgerKey('a'), text);
    expect(await readLedger(b.ctx, 'a')).toEqual(expected);
    expect(b.calls.toJSON()).toEqual({ GetObject: 1 });
    expect(b.mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({ Bucket: 'site', Key: ledgerKey('a') });
  });

  test('an error other than NoSuchKey is not taken as an empty ledger', async () => {
    const b = fakeBucket();
    b.mock.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(readLedger(b.ctx, 'a')).rejects.toThrow('Access Denied');
  });
});

describe('ledgerClaimHolds', () => {
  const copy = {
    currentVersionId: 'v9',
    currentEtag: '"e-2"',
    currentSize: 4,
    sourceVersionId: 'v1',
    etag: '"e-2"',
    size: 4,
  };
  test.each<[string, Record<string, string>, Partial<typeof copy>, boolean]>([
    ['a claim for the current version, same ETag and size', { v9: 'v1' }, {}, true],
    ['no claim', {}, {}, false],
    ['a claim inherited from Object.prototype', {}, { currentVersionId: 'toString' }, false],
    ['a claim for another source', { v9: 'v0' }, {}, false],
    ['other ETag', { v9: 'v1' }, { currentEtag: '"f-2"' }, false],
    ['other size', { v9: 'v1' }, { currentSize: 5 }, false],
    ['no ETag on either', { v9: 'v1' }, { etag: undefined, currentEtag: undefined }, false],
  ])('%s -> %p', (_name, claims, change, holds) => {
    expect(ledgerClaimHolds(claims, { ...copy, ...change })).toBe(holds);
  });
});

describe('deleteKeys', () => {
  function deleting() {
    const s3 = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(s3);
    const calls = new CallCounter();
    return { mock, calls, ctx: { s3, bucket: 'site', calls } satisfies ExecutorContext };
  }
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);

  test('2,500 keys go in requests of 1,000 (S3 maximum), quiet, each key once', async () => {
    const d = deleting();
    d.mock.on(DeleteObjectsCommand).resolves({});
    expect(DELETE_BATCH).toBe(1000);
    expect(await deleteKeys(d.ctx, keys(2500))).toEqual([]);
    const inputs = d.mock.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input as DeleteObjectsCommandInput);
    expect(inputs.map((i) => i.Delete!.Objects!.length)).toEqual([1000, 1000, 500]);
    expect(inputs.flatMap((i) => i.Delete!.Objects!.map((o) => o.Key))).toEqual(keys(2500));
    expect(inputs.every((i) => i.Bucket === 'site' && i.Delete!.Quiet === true)).toBe(true);
    expect(d.calls.toJSON()).toEqual({ DeleteObjects: 3 });
  });

  test('no keys, no request', async () => {
    const d = deleting();
    expect(await deleteKeys(d.ctx, [])).toEqual([]);
    expect(d.mock.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  test('keys S3 refuses are failures; a request that fails fails each of its keys; other batches still run', async () => {
    const d = deleting();
    d.mock
      .on(DeleteObjectsCommand)
      .resolvesOnce({
        Errors: [{ Key: 'k3', Code: 'AccessDenied', Message: 'Access Denied' }, {}],
      })
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'SlowDown' }))
      .rejectsOnce({})
      .resolves({});
    const failures = await deleteKeys(d.ctx, keys(3002));
    expect(failures.slice(0, 2)).toEqual([
      { key: 'k3', operation: 'DeleteObjects', code: 'AccessDenied', message: 'Access Denied' },
      { key: '?', operation: 'DeleteObjects', code: 'Unknown', message: '' },
    ]);
    expect(failures.slice(2, 1002).map((f) => f.key)).toEqual(keys(2000).slice(1000));
    expect(failures[2]).toEqual({ key: 'k1000', operation: 'DeleteObjects', code: 'SlowDown', message: 'slow down' });
    expect(failures[1002]).toEqual({ key: 'k2000', operation: 'DeleteObjects', code: 'Error', message: '' });
    expect(failures).toHaveLength(2002);
    expect(d.calls.toJSON()).toEqual({ DeleteObjects: 4 });
  });

  test("a request rejected with something other than an Error (a middleware's plain value) fails each key as Error", async () => {
    const d = deleting();
    d.mock.on(DeleteObjectsCommand).callsFake(() => Promise.reject({ reason: 'socket hang up' }));
    expect(await deleteKeys(d.ctx, ['a', 'b'])).toEqual([
      { key: 'a', operation: 'DeleteObjects', code: 'Error', message: '' },
      { key: 'b', operation: 'DeleteObjects', code: 'Error', message: '' },
    ]);
    expect(d.calls.toJSON()).toEqual({ DeleteObjects: 1 });
  });
});
