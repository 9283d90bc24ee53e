import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { APIGatewayClient, GetBasePathMappingsCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetHealthCheckStatusCommand, ListHealthChecksCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListObjectsV2Command, type ListObjectsV2CommandInput, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import type { RegionRole } from '../../../lambda/contract/regions';
import type { ReadinessDeps } from '../../../lambda/lib/readiness/deps';
import { deployment } from '../../support/deployment';

/** When the checks run in these tests. */
export const NOW = new Date('2026-11-30T06:00:00Z');
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface FakeObject {
  readonly etag: string;
  readonly size: number;
  readonly lastModified?: Date;
}

/** A bucket's current objects by key, listed by a fake ListObjectsV2 that pages with MaxKeys. */
export type Listing = Record<string, FakeObject>;

function listObjects(buckets: Record<string, Listing>) {
  return (input: ListObjectsV2CommandInput) => {
    const objects = buckets[input.Bucket!];
    if (!objects) throw Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' });
    const keys = Object.keys(objects)
      .filter((k) => k.startsWith(input.Prefix ?? ''))
      .sort();
    const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
    const size = input.MaxKeys ?? 1000;
    const page = keys.slice(start, start + size);
    const more = start + size < keys.length;
    return {
      Contents: page.map((k) => ({
        Key: k,
        ETag: objects[k].etag,
        Size: objects[k].size,
        LastModified: objects[k].lastModified ?? new Date(NOW.getTime() - 3600_000),
      })),
      KeyCount: page.length,
      IsTruncated: more,
      NextContinuationToken: more ? String(start + size) : undefined,
    };
  };
}

/** Site content, the same in both buckets: the live release v1, an older release and a file outside releases/. */
export function siteContent(): Listing {
  return {
    'releases/v0/index.html': { etag: '"e0"', size: 10 },
    'releases/v1/healthz': { etag: '"h1"', size: 20 },
    'releases/v1/index.html': { etag: '"i1"', size: 30 },
    'releases/v1/style.css': { etag: '"s1"', size: 40 },
    'robots.txt': { etag: '"r"', size: 5 },
  };
}

function perRole<C>(make: (region: string) => C): Record<RegionRole, C> {
  return { primary: make(deployment.regions.primary), standby: make(deployment.regions.standby) };
}

/**
 * Clients of both regions, each behind aws-sdk-client-mock, answering as a deployment that is ready:
 * healthy checks, the switch OK, identical buckets and live release, fresh certificates and
 * recovery points, identical stages. Tests change one answer to make one check fail.
 */
export function readyWorld() {
  const route53 = new Route53Client({ region: 'us-east-1' });
  const cloudwatch = perRole((region) => new CloudWatchClient({ region }));
  const s3 = perRole((region) => new S3Client({ region }));
  const ssm = perRole((region) => new SSMClient({ region }));
  const backup = perRole((region) => new BackupClient({ region }));
  const acm = perRole((region) => new ACMClient({ region }));
  const apigw = perRole((region) => new APIGatewayClient({ region }));
  const mocks = {
    route53: mockClient(route53),
    cloudwatch: perRoleOf(cloudwatch),
    s3: perRoleOf(s3),
    ssm: perRoleOf(ssm),
    backup: perRoleOf(backup),
    acm: perRoleOf(acm),
    apigw: perRoleOf(apigw),
  };
  const buckets: Record<string, Listing> = { 'primary-bucket': siteContent(), 'standby-bucket': siteContent() };
  const hosts = deployment.regionalHosts;

  mocks.route53.on(ListHealthChecksCommand).resolves({
    HealthChecks: [
      healthCheck('hc-other', 'unrelated.example.org'),
      healthCheck('hc-primary', hosts.primary),
      healthCheck('hc-standby', hosts.standby),
    ],
  });
  mocks.route53.on(GetHealthCheckStatusCommand).resolves(observations(3, 3));

  for (const role of ['primary', 'standby'] as const) {
    const region = deployment.regions[role];
    mocks.cloudwatch[role]
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: deployment.trafficSwitch.alarmName, StateValue: 'OK' }] });
    mocks.ssm[role]
      .on(GetParameterCommand, { Name: deployment.parameters.siteBucket })
      .resolves({ Parameter: { Value: `${role}-bucket` } })
      .on(GetParameterCommand, { Name: deployment.parameters.liveRelease })
      .resolves({ Parameter: { Value: 'v1' } });
    mocks.s3[role].on(ListObjectsV2Command).callsFake(listObjects(buckets));
    mocks.backup[role].on(ListRecoveryPointsByBackupVaultCommand).resolves({
      RecoveryPoints: [
        { RecoveryPointArn: `arn:rp:${role}:old`, Status: 'COMPLETED', CreationDate: new Date(NOW.getTime() - DAY_MS) },
        {
          RecoveryPointArn: `arn:rp:${role}:new`,
          Status: 'COMPLETED',
          CreationDate: new Date(NOW.getTime() - 600_000),
        },
      ],
    });
    const arn = `arn:aws:acm:${region}:111111111111:certificate/${role}`;
    mocks.acm[role]
      .on(ListCertificatesCommand)
      .resolves({ CertificateSummaryList: [{ CertificateArn: arn, DomainName: deployment.domainName }] });
    mocks.acm[role].on(DescribeCertificateCommand, { CertificateArn: arn }).resolves({
      Certificate: certificate(arn, hosts[role], 90),
    });
    mocks.apigw[role]
      .on(GetBasePathMappingsCommand, { domainName: hosts[role] })
      .resolves({ items: [{ basePath: '(none)', restApiId: `api-${role}`, stage: 'live' }] });
    mocks.apigw[role].on(GetStageCommand, { restApiId: `api-${role}`, stageName: 'live' }).resolves(stage('v1', 50));
  }

  const deps: ReadinessDeps = { deployment, route53, cloudwatch, s3, ssm, backup, acm, apigw, now: () => NOW };
  return { deps, mocks, buckets };
}

type AnyStub = AwsStub<any, any, any>;

function perRoleOf(clients: Record<RegionRole, object>): Record<RegionRole, AnyStub> {
  return { primary: mockClient(clients.primary as never), standby: mockClient(clients.standby as never) };
}

export function healthCheck(id: string, host: string) {
  return {
    Id: id,
    CallerReference: id,
    HealthCheckVersion: 1,
    HealthCheckConfig: { Type: 'HTTPS_STR_MATCH' as const, FullyQualifiedDomainName: host },
  };
}

/** GetHealthCheckStatus with `healthy` of `total` checkers reporting success. */
export function observations(healthy: number, total: number) {
  return {
    HealthCheckObservations: Array.from({ length: total }, (_, i) => ({
      Region: 'us-east-1' as const,
      StatusReport: { Status: i < healthy ? 'Success: HTTP Status Code 200, OK' : 'Failure: HTTP Status Code 503' },
    })),
  };
}

export function certificate(arn: string, regionalHost: string, daysLeft: number, inUse = true) {
  return {
    CertificateArn: arn,
    DomainName: deployment.domainName,
    SubjectAlternativeNames: [deployment.domainName, regionalHost],
    Status: 'ISSUED' as const,
    NotAfter: new Date(NOW.getTime() + daysLeft * DAY_MS),
    InUseBy: inUse ? [`arn:aws:apigateway:x::/domainnames/${regionalHost}`] : [],
  };
}

export function stage(release: string | undefined, rate: number) {
  return {
    stageName: 'live',
    variables: (release === undefined ? {} : { release }) as Record<string, string>,
    methodSettings: {
      '*/*': { throttlingRateLimit: rate, throttlingBurstLimit: rate * 2 },
      '~1healthz/GET': { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    },
  };
}
