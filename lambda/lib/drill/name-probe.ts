import * as dns from 'node:dns';
import * as https from 'node:https';

/**
 * One visitor's view of the site's name: resolve it afresh, open a new TLS connection to the
 * address it resolved to, GET the path. A new connection each time matters: a pooled keep-alive
 * connection (fetch's default agent) stays on the address it first resolved, so after failover it
 * would keep reaching the primary and hide the DNS change the drill is measuring.
 */
export interface NameAnswer {
  /** The address the name resolved to for this request. */
  readonly address?: string;
  readonly status?: number;
  /** Lower-cased response headers. */
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly error?: string;
}

export type NameProbe = (url: string) => Promise<NameAnswer>;

/** The real probe: node:https, `agent: false` (no pooling), the system resolver, a timeout. */
export function httpsNameProbe(timeoutMs = 5000): NameProbe {
  return (url) =>
    new Promise<NameAnswer>((resolve) => {
      let address: string | undefined;
      const request = https.get(
        url,
        {
          agent: false,
          timeout: timeoutMs,
          lookup: (hostname, options, callback) =>
            dns.lookup(hostname, options, (err, addr, family) => {
              address = typeof addr === 'string' ? addr : undefined;
              (callback as (e: NodeJS.ErrnoException | null, a: string, f: number) => void)(
                err,
                addr as string,
                family as number,
              );
            }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            // /healthz is a line; keep at most 5 KiB of whatever answers.
            if (size < 5120) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            }
            resolve({
              address,
              status: res.statusCode,
              headers,
              body: Buffer.concat(chunks).toString('utf8').slice(0, 5120),
            });
          });
          res.on('error', (err) => resolve({ address, headers: {}, body: '', error: err.message }));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      request.on('error', (err) => resolve({ address, headers: {}, body: '', error: err.message }));
    });
}
