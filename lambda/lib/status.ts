import { type BackupClient, paginateListRecoveryPointsByBackupVault } from '@aws-sdk/client-backup';
import { type CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetHealthCheckStatusCommand,
  type HealthCheck,
  paginateListHealthChecks,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { Deployment } from '../contract/deployment';
import type { RegionRole } from '../contract/regions';
import { type Fetch, healthUrl, type Probe, probe } from './traffic/probe';
import { type RegionClients, siteBucket } from './site-buckets';

/**
 * `status`: where traffic goes and how healthy each part is. Every section is read on its own and
 * reports its own error, so one unreachable API (typically the Route 53 control plane, in
 * us-east-1) does not hide the others. The serving region and regional health come from the data
 * plane (HTTPS probes), which works when control planes do not.
 */

export interface Section<T> {
  readonly ok: boolean;
  readonly value?: T;
  readonly error?: string;
}

export interface StatusReport {
  readonly at: string;
  /** Which region answers on the site's name (X-Served-Region of https://<domain>/). */
  readonly serving: Section<{ region?: string; release?: string; role?: RegionRole | 'unknown' }>;
  /** Each region's /healthz probed directly (data plane). */
  readonly regionalHealth: Section<Record<RegionRole, Probe>>;
  /** Route 53's own view of each health check (control plane: may be unavailable). */
  readonly route53HealthChecks: Section<{ id: string; target: string; healthy: number; checkers: number }[]>;
  readonly trafficSwitch: Section<{ state: string; position: 'failover' | 'normal' | 'unknown' }>;
  /** Maximum replication latency over the last 15 minutes, against the RPO. */
  readonly replicationLag: Section<{ maxSeconds: number | null; rpoSeconds: number; withinRpo: boolean | null }>;
  readonly newestRecoveryPoint: Section<Record<RegionRole, string | null>>;
}

export interface StatusDeps {
  readonly deployment: Deployment;
  readonly route53: Route53Client;
  readonly cloudwatch: Record<RegionRole, CloudWatchClient>;
  readonly backup: Record<RegionRole, BackupClient>;
  readonly regions: RegionClients;
  readonly fetch?: Fetch;
  readonly now?: () => Date;
}

async function section<T>(read: () => Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return { ok: false, error: `${e.name ?? 'Error'}: ${e.message ?? String(err)}` };
  }
}

export async function readStatus(deps: StatusDeps): Promise<StatusReport> {
  const d = deps.deployment;
  const now = deps.now ?? (() => new Date());

  const [serving, regionalHealth, route53HealthChecks, trafficSwitch, replicationLag, newestRecoveryPoint] =
    await Promise.all([
      section(async () => {
        const p = await probe(`https://${d.domainName}/`, { fetch: deps.fetch });
        if (p.status === undefined) throw new Error(`https://${d.domainName}/ did not answer: ${p.error}`);
        const role =
          p.servedRegion === d.regions.primary
            ? 'primary'
            : p.servedRegion === d.regions.standby
              ? 'standby'
              : 'unknown';
        return { region: p.servedRegion, release: p.release, role } as const;
      }),
      section(async () => {
        const check = (role: RegionRole) =>
          probe(healthUrl(d.regionalHosts[role], d.healthCheck.path), {
            mustContain: d.healthCheck.searchString,
            fetch: deps.fetch,
          });
        const [primary, standby] = await Promise.all([check('primary'), check('standby')]);
        return { primary, standby };
      }),
      section(async () => {
        // ListHealthChecks returns at most 100 a page, in no order that puts this app's first.
        const all: HealthCheck[] = [];
        for await (const page of paginateListHealthChecks({ client: deps.route53 }, {})) {
          all.push(...(page.HealthChecks ?? []));
        }
        const ours = all.filter((hc) =>
          Object.values(d.regionalHosts).includes(hc.HealthCheckConfig?.FullyQualifiedDomainName ?? ''),
        );
        return Promise.all(
          ours.map(async (hc) => {
            const status = await deps.route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: hc.Id! }));
            const observations = status.HealthCheckObservations ?? [];
            return {
              id: hc.Id!,
              target: hc.HealthCheckConfig!.FullyQualifiedDomainName!,
              healthy: observations.filter((o) => o.StatusReport?.Status?.startsWith('Success')).length,
              checkers: observations.length,
            };
          }),
        );
      }),
      section(async () => {
        const out = await deps.cloudwatch.standby.send(
          new DescribeAlarmsCommand({ AlarmNames: [d.trafficSwitch.alarmName] }),
        );
        const state = out.MetricAlarms?.[0]?.StateValue ?? 'MISSING';
        return {
          state,
          position:
            state === 'ALARM' ? 'failover' : state === 'OK' || state === 'INSUFFICIENT_DATA' ? 'normal' : 'unknown',
        } as const;
      }),
      section(async () => {
        const [source, destination] = await Promise.all([
          siteBucket(d, deps.regions, 'primary'),
          siteBucket(d, deps.regions, 'standby'),
        ]);
        const end = now();
        const out = await deps.cloudwatch.primary.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/S3',
            MetricName: 'ReplicationLatency',
            Dimensions: [
              { Name: 'SourceBucket', Value: source },
              { Name: 'DestinationBucket', Value: destination },
              { Name: 'RuleId', Value: d.replicationRuleId },
            ],
            StartTime: new Date(end.getTime() - 15 * 60 * 1000),
            EndTime: end,
            Period: 60,
            Statistics: ['Maximum'],
          }),
        );
        const points = (out.Datapoints ?? []).map((p) => p.Maximum ?? 0);
        const maxSeconds = points.length > 0 ? Math.max(...points) : null;
        const rpoSeconds = d.rpoMinutes * 60;
        return { maxSeconds, rpoSeconds, withinRpo: maxSeconds === null ? null : maxSeconds <= rpoSeconds };
      }),
      section(async () => {
        const newest = async (role: RegionRole) => {
          // The API documents no order (and no sort parameter), so the newest may be on any page:
          // read them all, keeping only the newest date (a vault can hold thousands of points).
          let newestMs: number | undefined;
          const pages = paginateListRecoveryPointsByBackupVault(
            { client: deps.backup[role] },
            { BackupVaultName: d.backupVaultName },
          );
          for await (const page of pages) {
            for (const p of page.RecoveryPoints ?? []) {
              const ms = p.CreationDate?.getTime() ?? 0;
              if (newestMs === undefined || ms > newestMs) newestMs = ms;
            }
          }
          return newestMs === undefined ? null : new Date(newestMs).toISOString();
        };
        const [primary, standby] = await Promise.all([newest('primary'), newest('standby')]);
        return { primary, standby };
      }),
    ]);
  return {
    at: now().toISOString(),
    serving,
    regionalHealth,
    route53HealthChecks,
    trafficSwitch,
    replicationLag,
    newestRecoveryPoint,
  };
}
