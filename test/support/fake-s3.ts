import { CopyObjectCommand, type CopyObjectCommandInput, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { compareKeys } from '../../lambda/lib/restore/versions';

/** One current object as ListObjectsV2 lists it. */
export interface FakeObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
  readonly lastModified?: Date;
}

/**
 * An S3 client whose ListObjectsV2 answers as S3 does for one bucket: keys in UTF-8 binary order,
 * filtered by Prefix, at most MaxKeys (default 1,000) a page, IsTruncated and NextContinuationToken
 * chaining the pages (the token is opaque to callers; here it is the last key of the page).
 * CopyObject is recorded (and may be made to fail for chosen keys); any other command is refused by
 * the mock, so a test sees every write.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
export function fakeListingS3(
  buckets: Record<string, readonly FakeObject[]>,
  options: { failCopy?: Record<string, { name: string; message: string }> } = {},
): { client: S3Client; mock: AwsClientStub<S3Client>; copies: CopyObjectCommandInput[] } {
  const client = new S3Client({ region: 'us-west-2' });
  const mock = mockClient(client);
  const copies: CopyObjectCommandInput[] = [];
  mock.on(ListObjectsV2Command).callsFake((input) => {
    const all = buckets[input.Bucket as string];
    if (all === undefined)
      throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
    const sorted = [...all].sort((a, b) => compareKeys(a.key, b.key));
    const after = input.ContinuationToken as string | undefined;
    const matching = sorted.filter(
      (o) => o.key.startsWith(input.Prefix ?? '') && (after === undefined || compareKeys(o.key, after) > 0),
    );
    const page = matching.slice(0, input.MaxKeys ?? 1000);
    const truncated = page.length < matching.length;
    return {
      // S3 leaves Contents out of an empty page.
      ...(page.length > 0
        ? { Contents: page.map((o) => ({ Key: o.key, ETag: o.etag, Size: o.size, LastModified: o.lastModified })) }
        : {}),
      KeyCount: page.length,
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: page[page.length - 1].key } : {}),
    };
  });
  mock.on(CopyObjectCommand).callsFake((input: CopyObjectCommandInput) => {
    copies.push(input);
    const failure = options.failCopy?.[input.Key as string];
    if (failure) throw Object.assign(new Error(failure.message), { name: failure.name });
    return { VersionId: `copy-${copies.length}` };
  });
  return { client, mock, copies };
}

/** An object; without `etag`, a single-part ETag derived from its key (distinct keys, distinct ETags). */
export function obj(key: string, options: { etag?: string; size?: number; lastModified?: string } = {}): FakeObject {
  const md5Like = Buffer.from(key).toString('hex').padEnd(32, '0').slice(0, 32);
  return {
    key,
    etag: options.etag ?? `"${md5Like}"`,
    size: options.size ?? 100,
    lastModified: new Date(options.lastModified ?? '2026-11-28T09:00:00Z'),
  };
}
