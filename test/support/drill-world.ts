import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { GetHealthCheckStatusCommand, ListHealthChecksCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { RegionRole } from '../../lambda/contract/regions';
import type { NameAnswer } from '../../lambda/lib/drill/name-probe';
import type { DrillDeps } from '../../lambda/lib/drill/steps';
import { deployment } from './deployment';

/**
 * A simulated deployment for the drill: a fake clock (sleep advances it), the traffic switch alarm
 * that follows the switch metric after `alarmSeconds`, DNS that follows the alarm after
 * `dnsSeconds`, Route 53's health-check status, the two site buckets (replication after
 * `replicationSeconds`, version ids kept) and the report bucket. Every AWS client is an
 * aws-sdk-client-mock answering from this state; faults are set per case.
 */
export interface WorldOptions {
  readonly start?: string;
  readonly alarmSeconds?: number;
  readonly dnsSeconds?: number;
  readonly replicationSeconds?: number;
  /** Route 53's API throws this (it does not answer). */
  readonly route53Error?: Error;
  /** The standby's health check as Route 53 sees it. */
  readonly standbyHealthy?: boolean;
  /** The primary's health check as Route 53 sees it (the failback's validation). */
  readonly primaryRoute53Healthy?: boolean;
  /** How long DNS takes to follow the alarm back to OK (default dnsSeconds). */
  readonly failbackDnsSeconds?: number;
  /** The release the primary serves (header X-Release; its live release is v42). */
  readonly primaryRelease?: string;
  /** The PutObject answer's version id in the primary site bucket ("null": versioning suspended). */
  readonly markerVersionId?: string;
  /** The primary answers its /healthz (failback's readiness). */
  readonly primaryHealthy?: boolean;
  /** The switch alarm never follows a write of this value (a broken alarm). */
  readonly alarmIgnores?: 0 | 1;
  readonly initialSwitch?: 'OK' | 'ALARM';
}

export const BUCKETS: Record<RegionRole, string> = { primary: 'site-primary', standby: 'site-standby' };
export const REPORT_BUCKET = 'drill-reports';

export function world(options: WorldOptions = {}) {
  let t = Date.parse(options.start ?? '2026-11-28T10:00:00Z');
  const now = () => new Date(t);
  const advance = async (ms: number) => void (t += ms);
  const o = {
    alarmSeconds: 90,
    dnsSeconds: 120,
    replicationSeconds: 40,
    standbyHealthy: true,
    primaryRoute53Healthy: true,
    primaryHealthy: true,
    primaryRelease: 'v42',
    ...options,
  };

  // The switch: value written and when; the alarm follows after alarmSeconds.
  let alarm: { state: 'OK' | 'ALARM'; changedAt: number } = {
    state: options.initialSwitch ?? 'OK',
    changedAt: t - 86_400_000,
  };
  let pending: { state: 'OK' | 'ALARM'; at: number } | undefined;
  const alarmNow = () => {
    if (pending && t >= pending.at) {
      alarm = { state: pending.state, changedAt: pending.at };
      pending = undefined;
    }
    return alarm;
  };
  const metrics: MetricDatum[] = [];
  const cloudwatch = new CloudWatchClient({ region: 'us-west-2' });
  const cwMock = mockClient(cloudwatch);
  cwMock.on(DescribeAlarmsCommand).callsFake(() => {
    const a = alarmNow();
    return { MetricAlarms: [{ StateValue: a.state, StateTransitionedTimestamp: new Date(a.changedAt) }] };
  });
  cwMock.on(PutMetricDataCommand).callsFake((input) => {
    for (const d of input.MetricData ?? []) {
      if (d.MetricName === deployment.trafficSwitch.metricName) {
        if (d.Value === options.alarmIgnores) continue;
        pending = { state: d.Value === 1 ? 'ALARM' : 'OK', at: t + o.alarmSeconds * 1000 };
      } else metrics.push(d);
    }
    return {};
  });

  const route53 = new Route53Client({ region: 'us-east-1' });
  const r53Mock = mockClient(route53);
  r53Mock.on(ListHealthChecksCommand).callsFake(() => {
    if (o.route53Error) throw o.route53Error;
    return {
      HealthChecks: (['primary', 'standby'] as const).map((r) => ({
        Id: `hc-${r}`,
        CallerReference: r,
        HealthCheckVersion: 1,
        HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: deployment.regionalHosts[r] },
      })),
      IsTruncated: false,
      Marker: '',
      MaxItems: 100,
    };
  });
  r53Mock.on(GetHealthCheckStatusCommand).callsFake((input) => {
    const healthy = input.HealthCheckId === 'hc-primary' ? o.primaryRoute53Healthy : o.standbyHealthy;
    return {
      HealthCheckObservations: Array.from({ length: 8 }, (_, i) => ({
        Region: `r${i}`,
        StatusReport: { Status: healthy ? 'Success: HTTP Status Code 200, OK' : 'Failure: HTTP Status Code 503' },
      })),
    };
  });

  const ssm = {} as Record<RegionRole, SSMClient>;
  const s3 = {} as Record<RegionRole, S3Client>;
  const puts: { bucket: string; key: string; body: string; at: number }[] = [];
  let markerAt: number | undefined;
  for (const role of ['primary', 'standby'] as const) {
    ssm[role] = new SSMClient({ region: deployment.regions[role] });
    mockClient(ssm[role])
      .on(GetParameterCommand)
      .callsFake((input) => ({
        Parameter: { Value: input.Name === deployment.parameters.siteBucket ? BUCKETS[role] : 'v42' },
      }));
    s3[role] = new S3Client({ region: deployment.regions[role] });
    const m = mockClient(s3[role]);
    m.on(PutObjectCommand).callsFake((input) => {
      puts.push({ bucket: input.Bucket!, key: input.Key!, body: String(input.Body), at: t });
      if (input.Bucket === BUCKETS.primary) markerAt = t;
      return { VersionId: input.Bucket === BUCKETS.primary ? (o.markerVersionId ?? 'marker-version-1') : undefined };
    });
    m.on(HeadObjectCommand).callsFake(() => {
      if (markerAt !== undefined && t >= markerAt + o.replicationSeconds * 1000) return {};
      throw new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } });
    });
    // Both site buckets hold the same content once the marker has arrived (failback's validation).
    m.on(ListObjectsV2Command).callsFake((input) => {
      const arrived = markerAt !== undefined && t >= markerAt + o.replicationSeconds * 1000;
      const keys =
        input.Bucket === BUCKETS.standby && !arrived ? [] : markerAt !== undefined ? ['drill/marker.json'] : [];
      return {
        Contents: keys.map((Key) => ({ Key, ETag: '"e"', Size: 1, LastModified: new Date(markerAt ?? t) })),
        IsTruncated: false,
      };
    });
  }

  /**
   * The site's name: which region DNS sends it to follows the alarm, dnsSeconds after it went to
   * ALARM, failbackDnsSeconds after it went back to OK.
   */
  const nameProbe = async (url: string): Promise<NameAnswer> => {
    const a = alarmNow();
    const followed =
      t >= a.changedAt + (a.state === 'ALARM' ? o.dnsSeconds : (o.failbackDnsSeconds ?? o.dnsSeconds)) * 1000;
    const standby = a.state === 'ALARM' ? followed : !followed;
    const region = standby ? deployment.regions.standby : deployment.regions.primary;
    const release = standby ? 'v42' : o.primaryRelease;
    if (!url.endsWith(deployment.healthCheck.path)) return { headers: {}, body: '', error: `unexpected ${url}` };
    return {
      address: standby ? '198.51.100.2' : '198.51.100.1',
      status: 200,
      headers: { 'x-served-region': region, 'x-release': release },
      body: `${deployment.healthCheck.searchString} release=${release}\n`,
    };
  };
  const fetch = async (url: string) =>
    o.primaryHealthy
      ? new Response(`${deployment.healthCheck.searchString} release=v42\n`, { status: 200 })
      : new Response('Service Unavailable', { status: 503, headers: { 'x-url': url } });

  const deps: DrillDeps = {
    deployment,
    cloudwatch: { primary: cloudwatch, standby: cloudwatch },
    s3,
    ssm,
    route53,
    nameProbe,
    fetch,
    reportBucket: REPORT_BUCKET,
    now,
    sleep: advance,
  };
  return { deps, now, advance, metrics, puts, switchState: () => alarmNow().state, cwMock };
}
