import type * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CountingProxy, WireCounts } from './counting-proxy';

/** Requests by S3 operation and responses by status class, as seen on the wire. */
export class WireCounter {
  private operations = new Map<string, number>();
  private statuses = new Map<string, number>();

  operation(op: string): void {
    this.operations.set(op, (this.operations.get(op) ?? 0) + 1);
  }

  status(cls: string): void {
    this.statuses.set(cls, (this.statuses.get(cls) ?? 0) + 1);
  }

  snapshot(): WireCounts {
    const sorted = (m: Map<string, number>) =>
      Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return {
      operations: sorted(this.operations),
      total: [...this.operations.values()].reduce((a, b) => a + b, 0),
      statuses: sorted(this.statuses),
    };
  }

  reset(): void {
    this.operations = new Map();
    this.statuses = new Map();
  }
}

/** Listen on 127.0.0.1 on a free port; returns the base URL. */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  server.keepAliveTimeout = 30000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Start `server` on loopback and give it the counting-server handle both bench servers share:
 * its URL, the counter's snapshot and reset, and a close that drops open connections first.
 */
export async function serveCounted(
  server: http.Server,
  counter: WireCounter,
  beforeClose: () => void = () => {},
): Promise<CountingProxy> {
  const url = await listenOnLoopback(server);
  return {
    url,
    snapshot: () => counter.snapshot(),
    reset: () => counter.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        beforeClose();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
