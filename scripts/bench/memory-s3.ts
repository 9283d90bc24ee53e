/**
 * A minimal in-memory S3 over HTTP, for `bench:restore --backend memory`: just the operations the
 * two restore tools and the benchmark's verification use (path style, versioned buckets), with S3's
 * listing order and markers. Each request costs O(page), not O(bucket) as on moto, so 100,000 keys
 * and more fit in minutes. It is a stand-in for measuring the clients (memory, call counts), not an
 * emulator to test S3 semantics against: no auth, no checksums, no multipart, no metadata beyond
 * Content-Type. Requests are counted by operation, as the counting proxy does.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { classify, type CountingProxy } from './counting-proxy';
import { serveCounted, WireCounter } from './wire-counter';

interface Version {
  readonly id: string;
  readonly lastModified: number;
  readonly isDeleteMarker: boolean;
  readonly body?: Buffer;
  readonly etag?: string;
  readonly contentType?: string;
}

interface Bucket {
  versioned: boolean;
  /** Newest first. */
  readonly keys: Map<string, Version[]>;
  /** Keys in S3 order (binary UTF-8), rebuilt when a key is added. */
  sorted?: string[];
}

export interface MemoryS3 extends CountingProxy {
  /** Writes a version (or delete marker) with a given LastModified, bypassing HTTP: for seeding. */
  seed(bucket: string, key: string, lastModified: Date, body: string | undefined): void;
  createBucket(bucket: string): void;
}

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unesc = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const OWNER = '<Owner><ID>bench</ID><DisplayName>bench</DisplayName></Owner>';

export async function startMemoryS3(): Promise<MemoryS3> {
  const buckets = new Map<string, Bucket>();
  const counter = new WireCounter();
  let lastId = 0;
  const newId = () => `v${(++lastId).toString(36).padStart(10, '0')}`;

  function write(b: Bucket, key: string, v: Version) {
    const history = b.keys.get(key);
    if (history) history.unshift(v);
    else {
      b.keys.set(key, [v]);
      b.sorted = undefined;
    }
  }
  const sortedKeys = (b: Bucket) => (b.sorted ??= [...b.keys.keys()].sort(compareKeys));
  /** Index of the first key > `after` (or >= when `inclusive`). */
  function firstIndex(keys: string[], after: string, inclusive: boolean): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = compareKeys(keys[mid], after);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  function putVersion(b: Bucket, key: string, body: Buffer | undefined, contentType?: string, at = Date.now()) {
    const v: Version = {
      id: b.versioned ? newId() : 'null',
      lastModified: at,
      isDeleteMarker: body === undefined,
      body,
      etag: body === undefined ? undefined : `"${createHash('md5').update(body).digest('hex')}"`,
      contentType,
    };
    if (!b.versioned) b.keys.delete(key);
    write(b, key, v);
    return v;
  }

  function reply(res: http.ServerResponse, status: number, xml: string, headers: http.OutgoingHttpHeaders = {}) {
    counter.status(`${Math.floor(status / 100)}xx`);
    const body = xml ? `<?xml version="1.0" encoding="UTF-8"?>\n${xml}` : '';
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }
  const error = (res: http.ServerResponse, status: number, code: string, message: string) =>
    reply(res, status, `<Error><Code>${code}</Code><Message>${esc(message)}</Message></Error>`);

  function listVersions(res: http.ServerResponse, name: string, b: Bucket, q: URLSearchParams) {
    const prefix = q.get('prefix') ?? '';
    const keyMarker = q.get('key-marker') ?? '';
    const versionMarker = q.get('version-id-marker') ?? '';
    const maxKeys = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
    const keys = sortedKeys(b);
    let i = keyMarker ? firstIndex(keys, keyMarker, versionMarker !== '') : 0;
    if (prefix && compareKeys(keys[i] ?? '', prefix) < 0) i = Math.max(i, firstIndex(keys, prefix, true));
    const parts: string[] = [];
    let count = 0;
    let last: [string, string] | undefined;
    let truncated = false;
    outer: for (; i < keys.length; i++) {
      const key = keys[i];
      if (!key.startsWith(prefix)) {
        if (compareKeys(key, prefix) > 0) break;
        continue;
      }
      const history = b.keys.get(key)!;
      let j = 0;
      if (key === keyMarker && versionMarker) {
        j = history.findIndex((v) => v.id === versionMarker) + 1;
        if (j === 0) return error(res, 400, 'InvalidArgument', 'Invalid version id specified');
      }
      for (; j < history.length; j++) {
        if (count === maxKeys) {
          truncated = true;
          break outer;
        }
        const v = history[j];
        const common = `<Key>${esc(key)}</Key><VersionId>${v.id}</VersionId><IsLatest>${j === 0}</IsLatest><LastModified>${iso(v.lastModified)}</LastModified>`;
        parts.push(
          v.isDeleteMarker
            ? `<DeleteMarker>${common}${OWNER}</DeleteMarker>`
            : `<Version>${common}<ETag>${esc(v.etag!)}</ETag><Size>${v.body!.length}</Size><StorageClass>STANDARD</StorageClass>${OWNER}</Version>`,
        );
        count++;
        last = [key, v.id];
      }
    }
    const next =
      truncated && last
        ? `<NextKeyMarker>${esc(last[0])}</NextKeyMarker><NextVersionIdMarker>${last[1]}</NextVersionIdMarker>`
        : '';
    reply(
      res,
      200,
      `<ListVersionsResult xmlns="${XMLNS}"><Name>${esc(name)}</Name><Prefix>${esc(prefix)}</Prefix>` +
        `<KeyMarker>${esc(keyMarker)}</KeyMarker><VersionIdMarker>${esc(versionMarker)}</VersionIdMarker>` +
        `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${parts.join('')}</ListVersionsResult>`,
    );
  }

  function listCurrent(res: http.ServerResponse, name: string, b: Bucket, q: URLSearchParams) {
    const maxKeys = Math.min(Number(q.get('max-keys') ?? 1000), 1000);
    const after = q.get('continuation-token') ?? q.get('start-after') ?? '';
    const prefix = q.get('prefix') ?? '';
    const keys = sortedKeys(b);
    const parts: string[] = [];
    let lastKey = '';
    let truncated = false;
    for (let i = after ? firstIndex(keys, after, false) : 0; i < keys.length; i++) {
      const v = b.keys.get(keys[i])![0];
      if (v.isDeleteMarker || !keys[i].startsWith(prefix)) continue;
      if (parts.length === maxKeys) {
        truncated = true;
        break;
      }
      parts.push(
        `<Contents><Key>${esc(keys[i])}</Key><LastModified>${iso(v.lastModified)}</LastModified><ETag>${esc(v.etag!)}</ETag>` +
          `<Size>${v.body!.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      );
      lastKey = keys[i];
    }
    const token = truncated ? `<NextContinuationToken>${esc(lastKey)}</NextContinuationToken>` : '';
    reply(
      res,
      200,
      `<ListBucketResult xmlns="${XMLNS}"><Name>${esc(name)}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${parts.length}</KeyCount>` +
        `<MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${token}${parts.join('')}</ListBucketResult>`,
    );
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, payload: Buffer) {
    const method = req.method ?? 'GET';
    const op = classify(method, req.url ?? '/', req.headers);
    counter.operation(op);
    const url = new URL(req.url ?? '/', 'http://memory');
    const q = url.searchParams;
    const [name, ...rest] = url.pathname.slice(1).split('/');
    const key = decodeURIComponent(rest.join('/'));
    const bucketName = decodeURIComponent(name ?? '');
    if (op === 'CreateBucket') {
      if (!buckets.has(bucketName)) buckets.set(bucketName, { versioned: false, keys: new Map() });
      return reply(res, 200, '', { location: `/${bucketName}` });
    }
    const b = buckets.get(bucketName);
    if (!b) return error(res, 404, 'NoSuchBucket', `no bucket ${bucketName}`);
    switch (op) {
      case 'PutBucketVersioning':
        b.versioned = /<Status>Enabled<\/Status>/.test(payload.toString('utf8'));
        return reply(res, 200, '');
      case 'GetBucketVersioning':
        return reply(
          res,
          200,
          `<VersioningConfiguration xmlns="${XMLNS}">${b.versioned ? '<Status>Enabled</Status>' : ''}</VersioningConfiguration>`,
        );
      case 'GetBucketLifecycleConfiguration':
        return error(res, 404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist');
      case 'HeadBucket':
        return reply(res, 200, '');
      case 'ListObjectVersions':
        return listVersions(res, bucketName, b, q);
      case 'ListObjectsV2':
        return listCurrent(res, bucketName, b, q);
      case 'PutObject': {
        if (req.headers['content-encoding']?.includes('aws-chunked')) {
          return error(
            res,
            501,
            'NotImplemented',
            'aws-chunked bodies: send with requestChecksumCalculation WHEN_REQUIRED',
          );
        }
        const v = putVersion(b, key, payload, req.headers['content-type']);
        return reply(res, 200, '', { etag: v.etag, 'x-amz-version-id': v.id });
      }
      case 'CopyObject': {
        const source = new URL(`http://s/${String(req.headers['x-amz-copy-source']).replace(/^\//, '')}`);
        const [srcBucketName, ...srcRest] = source.pathname.slice(1).split('/');
        const srcKey = decodeURIComponent(srcRest.join('/'));
        const srcVersion = source.searchParams.get('versionId');
        const history = buckets.get(decodeURIComponent(srcBucketName))?.keys.get(srcKey);
        const src = srcVersion ? history?.find((v) => v.id === srcVersion) : history?.[0];
        if (!src || src.isDeleteMarker) return error(res, 404, 'NoSuchKey', `no source ${srcKey} ${srcVersion ?? ''}`);
        const v = putVersion(b, key, src.body, src.contentType);
        return reply(
          res,
          200,
          `<CopyObjectResult><ETag>${esc(v.etag!)}</ETag><LastModified>${iso(v.lastModified)}</LastModified></CopyObjectResult>`,
          { 'x-amz-version-id': v.id, 'x-amz-copy-source-version-id': src.id },
        );
      }
      case 'DeleteObjects': {
        const xml = payload.toString('utf8');
        const quiet = /<Quiet>true<\/Quiet>/.test(xml);
        const deleted: string[] = [];
        for (const m of xml.matchAll(/<Key>([\s\S]*?)<\/Key>/g)) {
          const k = unesc(m[1]);
          const v = putVersion(b, k, undefined);
          if (!quiet) {
            deleted.push(
              `<Deleted><Key>${esc(k)}</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${v.id}</DeleteMarkerVersionId></Deleted>`,
            );
          }
        }
        return reply(res, 200, `<DeleteResult xmlns="${XMLNS}">${deleted.join('')}</DeleteResult>`);
      }
      case 'DeleteObject': {
        const v = putVersion(b, key, undefined);
        return reply(res, 204, '', { 'x-amz-version-id': v.id, 'x-amz-delete-marker': 'true' });
      }
      case 'GetObject':
      case 'HeadObject': {
        const history = b.keys.get(key);
        const id = q.get('versionId');
        const v = id ? history?.find((x) => x.id === id) : history?.[0];
        if (!v || v.isDeleteMarker) return error(res, 404, 'NoSuchKey', `no key ${key}`);
        counter.status('2xx');
        res.writeHead(200, {
          'content-type': v.contentType ?? 'binary/octet-stream',
          'content-length': v.body!.length,
          etag: v.etag,
          'last-modified': new Date(v.lastModified).toUTCString(),
          'x-amz-version-id': v.id,
        });
        return res.end(op === 'GetObject' ? v.body : undefined);
      }
      default:
        return error(res, 501, 'NotImplemented', `${op} is not implemented by the memory S3`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks));
      } catch (err) {
        error(res, 500, 'InternalError', String(err));
      }
    });
  });
  return {
    ...(await serveCounted(server, counter)),
    createBucket: (bucket) => buckets.set(bucket, { versioned: true, keys: new Map() }),
    seed: (bucket, key, lastModified, body) => {
      const b = buckets.get(bucket);
      if (!b) throw new Error(`no bucket ${bucket}`);
      putVersion(
        b,
        key,
        body === undefined ? undefined : Buffer.from(body, 'utf8'),
        'text/plain',
        lastModified.getTime(),
      );
    },
  };
}
