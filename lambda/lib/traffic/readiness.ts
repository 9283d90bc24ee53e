import type { Deployment } from '../../contract/deployment';
import { verifyReplication } from '../replication/verify';
import { type RegionClients, siteBucket } from '../site-buckets';
import { type Fetch, healthUrl, probe } from './probe';

/**
 * Why traffic must not go back to the primary yet: its deep health check fails, or its content
 * differs from the standby's (something written during the failover, or replication behind).
 * An empty list means ready.
 */
export async function failbackBlockers(
  deployment: Deployment,
  clients: RegionClients & { readonly fetch?: Fetch },
): Promise<string[]> {
  const blockers: string[] = [];
  const url = healthUrl(deployment.regionalHosts.primary, deployment.healthCheck.path);
  const health = await probe(url, { mustContain: deployment.healthCheck.searchString, fetch: clients.fetch });
  if (!health.ok) blockers.push(`the primary is not healthy (${url}: ${health.error})`);

  try {
    const [primary, standby] = await Promise.all([
      siteBucket(deployment, clients, 'primary'),
      siteBucket(deployment, clients, 'standby'),
    ]);
    const diff = await verifyReplication(
      { source: primary, replica: standby, apply: false },
      { sourceS3: clients.s3.primary, replicaS3: clients.s3.standby },
    );
    const c = diff.counts;
    if (c.missing + c.differing + c.extra > 0) {
      blockers.push(
        `primary and standby content differ (${c.missing} missing in the standby, ${c.differing} differing, ${c.extra} only in the standby): run verify-replication and reconcile first`,
      );
    }
  } catch (err) {
    blockers.push(`cannot compare primary and standby content: ${(err as Error).message}`);
  }
  return blockers;
}
