/**
 * A pass-through HTTP proxy in front of the S3 endpoint that counts the requests each tool sends, by
 * S3 operation, as seen on the wire (retries included). Both tools of the benchmark are pointed at
 * it, so their API calls are counted the same way whatever each tool reports about itself.
 * Path-style requests only (both tools use path style against an IP endpoint).
 */
import * as http from 'node:http';
import { serveCounted, WireCounter } from './wire-counter';

export interface WireCounts {
  /** Requests by S3 operation. */
  readonly operations: Record<string, number>;
  readonly total: number;
  /** Responses by status class (2xx, 3xx, 4xx, 5xx) and `proxyError` when the upstream failed. */
  readonly statuses: Record<string, number>;
}

export interface CountingProxy {
  readonly url: string;
  /** Counts since the last reset (or start). */
  snapshot(): WireCounts;
  reset(): void;
  close(): Promise<void>;
}

/** The S3 operation of a path-style request. */
export function classify(method: string, rawUrl: string, headers: http.IncomingHttpHeaders): string {
  const url = new URL(rawUrl, 'http://proxy');
  const q = url.searchParams;
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  const onObject = segments.length > 1;
  const copy = headers['x-amz-copy-source'] !== undefined;
  if (!onObject) {
    if (segments.length === 0) return method === 'GET' ? 'ListBuckets' : `${method} /`;
    const sub = ['versioning', 'versions', 'delete', 'uploads', 'location', 'tagging', 'policy', 'lifecycle']
      .filter((s) => q.has(s))
      .join('+');
    if (method === 'GET' && sub === 'versions') return 'ListObjectVersions';
    if (method === 'GET' && sub === 'versioning') return 'GetBucketVersioning';
    if (method === 'GET' && sub === 'lifecycle') return 'GetBucketLifecycleConfiguration';
    if (method === 'PUT' && sub === 'versioning') return 'PutBucketVersioning';
    if (method === 'GET' && sub === 'location') return 'GetBucketLocation';
    if (method === 'GET' && sub === 'uploads') return 'ListMultipartUploads';
    if (method === 'GET' && sub === '') return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'POST' && sub === 'delete') return 'DeleteObjects';
    if (method === 'PUT' && sub === '') return 'CreateBucket';
    if (method === 'HEAD' && sub === '') return 'HeadBucket';
    if (method === 'DELETE' && sub === '') return 'DeleteBucket';
    return `${method} bucket?${sub}`;
  }
  if (method === 'GET') return q.has('tagging') ? 'GetObjectTagging' : 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'PUT') {
    if (q.has('partNumber')) return copy ? 'UploadPartCopy' : 'UploadPart';
    if (q.has('tagging')) return 'PutObjectTagging';
    return copy ? 'CopyObject' : 'PutObject';
  }
  if (method === 'POST') {
    if (q.has('uploads')) return 'CreateMultipartUpload';
    if (q.has('uploadId')) return 'CompleteMultipartUpload';
    return `POST object?${[...q.keys()].join('&')}`;
  }
  if (method === 'DELETE') return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  return `${method} object`;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const counter = new WireCounter();

  const server = http.createServer((req, res) => {
    const op = classify(req.method ?? 'GET', req.url ?? '/', req.headers);
    counter.operation(op);
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (up) => {
        counter.status(`${Math.floor((up.statusCode ?? 0) / 100)}xx`);
        res.writeHead(up.statusCode ?? 502, up.statusMessage, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', (err) => {
      counter.status('proxyError');
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
    req.pipe(forward);
  });
  return serveCounted(server, counter, () => agent.destroy());
}
