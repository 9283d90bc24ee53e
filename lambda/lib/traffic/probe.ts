/** Data-plane probes: plain HTTPS requests, as a visitor or Route 53 health checker makes them. */
import { systemClock } from '../clock';

export interface Probe {
  readonly url: string;
  readonly ok: boolean;
  readonly status?: number;
  /** Region named by the X-Served-Region header. */
  readonly servedRegion?: string;
  /** Release named by the X-Release header. */
  readonly release?: string;
  readonly body?: string;
  readonly error?: string;
  readonly millis: number;
}

export type Fetch = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

/**
 * GET `url`; ok when it answers 2xx and (if given) the body contains `mustContain`, within
 * `timeoutMs`. Never throws: failures come back as `ok: false` with the reason.
 */
export async function probe(
  url: string,
  options: { mustContain?: string; timeoutMs?: number; fetch?: Fetch; now?: () => Date } = {},
): Promise<Probe> {
  const now = options.now ?? systemClock.now;
  const started = now().getTime();
  const elapsed = () => now().getTime() - started;
  const doFetch = options.fetch ?? fetch;
  try {
    const res = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    const body = (await res.text()).slice(0, 5120);
    const ok = res.ok && (options.mustContain === undefined || body.includes(options.mustContain));
    return {
      url,
      ok,
      status: res.status,
      servedRegion: res.headers.get('x-served-region') ?? undefined,
      release: res.headers.get('x-release') ?? undefined,
      body,
      error: ok ? undefined : res.ok ? `body does not contain "${options.mustContain}"` : `HTTP ${res.status}`,
      millis: elapsed(),
    };
  } catch (err) {
    return { url, ok: false, error: (err as Error).message, millis: elapsed() };
  }
}

export function healthUrl(host: string, path: string): string {
  return `https://${host}${path}`;
}
