import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { s3Client } from '../../../lambda/lib/aws';
import { restoreToInstant } from '../../../lambda/lib/restore/restore';

// Faults moto cannot produce. A tiny fake S3 endpoint shows what the real SDK stack does with them
// (retries, errors inside 200 responses); aws-sdk-client-mock shows per-key DeleteObjects errors.

const LISTING = `<?xml version="1.0" encoding="UTF-8"?>
<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>site</Name><Prefix></Prefix><KeyMarker></KeyMarker>
<VersionIdMarker></VersionIdMarker><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>
<Version><Key>index.html</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest><LastModified>2026-01-02T00:00:00.000Z</LastModified><ETag>"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Version>
<Version><Key>index.html</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Version>
</ListVersionsResult>`;

type CopyBehaviour = (attempt: number) => { status: number; body: string };

async function fakeS3(copy: CopyBehaviour) {
  const seen: string[] = [];
  let copies = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && url.searchParams.has('versioning')) {
        seen.push('GetBucketVersioning');
        res.end(
          '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>',
        );
      } else if (req.method === 'GET' && url.searchParams.has('lifecycle')) {
        seen.push('GetBucketLifecycleConfiguration');
        res.writeHead(404, { 'content-type': 'application/xml' });
        res.end(
          '<Error><Code>NoSuchLifecycleConfiguration</Code><Message>The lifecycle configuration does not exist</Message></Error>',
        );
      } else if (req.method === 'GET' && url.searchParams.has('versions')) {
        seen.push('ListObjectVersions');
        res.end(LISTING);
      } else if (req.method === 'PUT' && req.headers['x-amz-copy-source']) {
        seen.push(`CopyObject ${req.headers['x-amz-copy-source']}`);
        const { status, body } = copy(++copies);
        res.writeHead(status, { 'x-amz-version-id': 'v3', 'content-type': 'application/xml' });
        res.end(body);
      } else {
        seen.push(`unexpected ${req.method} ${req.url}`);
        res.writeHead(500);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, endpointUrl, close: () => new Promise((r) => server.close(r)) };
}

const OK = {
  status: 200,
  body: '<CopyObjectResult><ETag>"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"</ETag><LastModified>2026-01-03T00:00:00.000Z</LastModified></CopyObjectResult>',
};
const SLOW_DOWN = {
  status: 503,
  body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
};
const ERROR_IN_200 = {
  status: 200,
  body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>',
};

const request = { bucket: 'site', instant: new Date('2026-01-01T12:00:00Z'), apply: true };

describe('restore under faults', () => {
  test('throttling (503 SlowDown) is retried by the SDK and the restore completes', async () => {
    const s3 = await fakeS3((n) => (n < 3 ? SLOW_DOWN : OK));
    try {
      const client = s3Client({ endpointUrl: s3.endpointUrl, region: 'us-east-1', maxAttempts: 5 });
      const result = await restoreToInstant(request, { s3: client });
      expect(result.status).toBe('done');
      expect(result.totals.copies).toBe(1);
      expect(s3.seen.filter((s) => s.startsWith('CopyObject'))).toEqual([
        'CopyObject site/index.html?versionId=v1',
        'CopyObject site/index.html?versionId=v1',
        'CopyObject site/index.html?versionId=v1',
      ]);
    } finally {
      await s3.close();
    }
  });

  test('a CopyObject error inside a 200 response is a failure, not a success', async () => {
    const s3 = await fakeS3(() => ERROR_IN_200);
    try {
      const client = s3Client({ endpointUrl: s3.endpointUrl, region: 'us-east-1', maxAttempts: 2 });
      const result = await restoreToInstant(request, { s3: client });
      expect(result.status).toBe('failed');
      expect(result.totals.copies).toBe(0);
      expect(result.failures).toEqual([
        {
          key: 'index.html',
          operation: 'CopyObject',
          code: 'InternalError',
          message: 'We encountered an internal error.',
        },
      ]);
    } finally {
      await s3.close();
    }
  });

  test('keys DeleteObjects refuses are reported one by one; the others are done', async () => {
    const client = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(client);
    const t = (d: string) => new Date(d);
    mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    mock.on(ListObjectVersionsCommand).resolves({
      IsTruncated: false,
      Versions: ['a', 'b', 'c'].map((Key) => ({
        Key,
        VersionId: `${Key}1`,
        IsLatest: true,
        LastModified: t('2026-01-02T00:00:00Z'),
        ETag: '"e"',
        Size: 1,
      })),
      DeleteMarkers: [{ Key: 'z-old', VersionId: 'dm', IsLatest: true, LastModified: t('2025-12-01T00:00:00Z') }],
    });
    mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'b', Code: 'AccessDenied', Message: 'Access Denied' }] });

    const result = await restoreToInstant({ ...request, instant: t('2026-01-01T00:00:00Z') }, { s3: client });
    expect(result.status).toBe('failed');
    expect(result.totals.deletes).toBe(2);
    expect(result.failures).toEqual([
      { key: 'b', operation: 'DeleteObjects', code: 'AccessDenied', message: 'Access Denied' },
    ]);
    expect(mock.commandCalls(DeleteObjectsCommand)).toHaveLength(1);
    expect(mock.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete!.Objects).toEqual([
      { Key: 'a' },
      { Key: 'b' },
      { Key: 'c' },
    ]);
  });
});
