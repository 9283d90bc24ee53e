import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { GetHealthCheckStatusCommand, ListHealthChecksCommand, Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { readStatus } from '../../lambda/lib/status';
import { deployment, fakeFetch } from '../support/deployment';

function clients() {
  const route53 = new Route53Client({ region: 'us-east-1' });
  const cw = {
    primary: new CloudWatchClient({ region: 'us-east-1' }),
    standby: new CloudWatchClient({ region: 'us-west-2' }),
  };
  const backup = {
    primary: new BackupClient({ region: 'us-east-1' }),
    standby: new BackupClient({ region: 'us-west-2' }),
  };
  const ssm = { primary: new SSMClient({ region: 'us-east-1' }), standby: new SSMClient({ region: 'us-west-2' }) };
  const s3 = { primary: new S3Client({ region: 'us-east-1' }), standby: new S3Client({ region: 'us-west-2' }) };
  const mocks = {
    route53: mockClient(route53),
    cwPrimary: mockClient(cw.primary),
    cwStandby: mockClient(cw.standby),
    backupPrimary: mockClient(backup.primary),
    backupStandby: mockClient(backup.standby),
    ssmPrimary: mockClient(ssm.primary),
    ssmStandby: mockClient(ssm.standby),
  };
  mocks.cwStandby.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ StateValue: 'ALARM' }] });
  mocks.cwPrimary.on(GetMetricStatisticsCommand).resolves({ Datapoints: [{ Maximum: 40 }, { Maximum: 2100 }] });
  mocks.ssmPrimary.on(GetParameterCommand).resolves({ Parameter: { Value: 'primary-bucket' } });
  mocks.ssmStandby.on(GetParameterCommand).resolves({ Parameter: { Value: 'standby-bucket' } });
  mocks.backupPrimary.on(ListRecoveryPointsByBackupVaultCommand).resolves({
    RecoveryPoints: [
      { CreationDate: new Date('2026-11-28T05:00:00Z') },
      { CreationDate: new Date('2026-11-28T09:00:00Z') },
    ],
  });
  mocks.backupStandby.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] });
  return { route53, cloudwatch: cw, backup, regions: { ssm, s3 }, mocks };
}

const web = fakeFetch({
  'https://www.example.com/': [200, '<html>', { 'x-served-region': 'us-west-2', 'x-release': 'bootstrap' }],
  'https://us-east-1.www.example.com/healthz': [503, 'Service Unavailable'],
  'https://us-west-2.www.example.com/healthz': [200, 'portfolio-ok release=bootstrap\n'],
});

describe('status', () => {
  test('reports serving region, health, switch, replication lag against the RPO and newest recovery points', async () => {
    const c = clients();
    c.mocks.route53.on(ListHealthChecksCommand).resolves({
      HealthChecks: [
        {
          Id: 'hc-p',
          CallerReference: 'x',
          HealthCheckVersion: 1,
          HealthCheckConfig: { Type: 'HTTPS_STR_MATCH', FullyQualifiedDomainName: 'us-east-1.www.example.com' },
        },
        {
          Id: 'other',
          CallerReference: 'y',
          HealthCheckVersion: 1,
          HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'unrelated.example.org' },
        },
      ],
    });
    c.mocks.route53.on(GetHealthCheckStatusCommand).resolves({
      HealthCheckObservations: [
        { StatusReport: { Status: 'Success: HTTP Status Code 200' } },
        { StatusReport: { Status: 'Failure: HTTP Status Code 503' } },
      ],
    });
    const report = await readStatus({
      deployment,
      ...c,
      fetch: web.fetch,
      now: () => new Date('2026-11-28T10:00:00Z'),
    });
    expect(report.serving).toEqual({ ok: true, value: { region: 'us-west-2', release: 'bootstrap', role: 'standby' } });
    expect(report.regionalHealth.value!.primary).toMatchObject({ ok: false, error: 'HTTP 503' });
    expect(report.regionalHealth.value!.standby).toMatchObject({ ok: true });
    expect(report.route53HealthChecks.value).toEqual([
      { id: 'hc-p', target: 'us-east-1.www.example.com', healthy: 1, checkers: 2 },
    ]);
    expect(report.trafficSwitch.value).toEqual({ state: 'ALARM', position: 'failover' });
    expect(report.replicationLag.value).toEqual({ maxSeconds: 2100, rpoSeconds: 1800, withinRpo: false });
    expect(report.newestRecoveryPoint.value).toEqual({ primary: '2026-11-28T09:00:00.000Z', standby: null });
  });

  test('degrades gracefully when the Route 53 control plane does not answer', async () => {
    const c = clients();
    c.mocks.route53
      .on(ListHealthChecksCommand)
      .rejects(Object.assign(new Error('connect ETIMEDOUT 3.2.1.0:443'), { name: 'TimeoutError' }));
    const report = await readStatus({ deployment, ...c, fetch: web.fetch });
    expect(report.route53HealthChecks).toEqual({ ok: false, error: 'TimeoutError: connect ETIMEDOUT 3.2.1.0:443' });
    // Everything read from the data plane and other services is still there.
    expect(report.serving.ok).toBe(true);
    expect(report.regionalHealth.ok).toBe(true);
    expect(report.trafficSwitch.ok).toBe(true);
  });

  test('reads every page of ListHealthChecks and ListRecoveryPointsByBackupVault', async () => {
    const c = clients();
    const hc = (Id: string, FullyQualifiedDomainName: string) => ({
      Id,
      CallerReference: Id,
      HealthCheckVersion: 1,
      HealthCheckConfig: { Type: 'HTTPS' as const, FullyQualifiedDomainName },
    });
    // This app's health checks are on the second and third pages only.
    const markers: (string | undefined)[] = [];
    c.mocks.route53.on(ListHealthChecksCommand).callsFake((input) => {
      markers.push(input.Marker);
      const pages: Record<string, { HealthChecks: ReturnType<typeof hc>[]; NextMarker?: string }> = {
        start: { HealthChecks: [hc('a', 'a.example.org')], NextMarker: 'm2' },
        m2: { HealthChecks: [hc('hc-p', 'us-east-1.www.example.com')], NextMarker: 'm3' },
        m3: { HealthChecks: [hc('hc-s', 'us-west-2.www.example.com')] },
      };
      const page = pages[input.Marker ?? 'start'];
      return { ...page, IsTruncated: page.NextMarker !== undefined, MaxItems: 1, Marker: input.Marker ?? '' };
    });
    c.mocks.route53.on(GetHealthCheckStatusCommand).resolves({ HealthCheckObservations: [] });
    // The newest recovery point is on the second page.
    c.mocks.backupPrimary.on(ListRecoveryPointsByBackupVaultCommand).callsFake((input) =>
      input.NextToken === undefined
        ? {
            RecoveryPoints: [
              { CreationDate: new Date('2026-11-27T00:00:00Z') },
              { CreationDate: new Date('2026-11-28T01:00:00Z') },
            ],
            NextToken: 't2',
          }
        : { RecoveryPoints: [{ CreationDate: new Date('2026-11-28T09:30:00Z') }] },
    );
    const report = await readStatus({ deployment, ...c, fetch: web.fetch });
    expect(report.route53HealthChecks.value!.map((h) => h.id)).toEqual(['hc-p', 'hc-s']);
    expect(markers).toEqual([undefined, 'm2', 'm3']);
    expect(report.newestRecoveryPoint.value!.primary).toBe('2026-11-28T09:30:00.000Z');
    expect(c.mocks.backupPrimary.commandCalls(ListRecoveryPointsByBackupVaultCommand)).toHaveLength(2);
  });
});
