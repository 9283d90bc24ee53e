import type { Deployment } from '../../lambda/contract/deployment';
import { deploymentOf } from '../../lib/shared/deployment';
import { defaultConfigAsWritten } from './config';

/** The playbooks' view of the default config (read unparsed: it is built while test files load). */
export const deployment: Deployment = deploymentOf(defaultConfigAsWritten());

/** A fake fetch: answers by URL from a table of [status, body, headers]. */
export function fakeFetch(table: Record<string, [number, string, Record<string, string>?] | Error>) {
  const calls: string[] = [];
  const fetch = async (url: string) => {
    calls.push(url);
    const entry = table[url];
    if (entry === undefined) throw new Error(`getaddrinfo ENOTFOUND ${new URL(url).host}`);
    if (entry instanceof Error) throw entry;
    const [status, body, headers] = entry;
    return new Response(body, { status, headers });
  };
  return { fetch, calls };
}
