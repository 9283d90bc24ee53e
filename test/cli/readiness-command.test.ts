import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { APIGatewayClient, GetBasePathMappingsCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetHealthCheckStatusCommand, ListHealthChecksCommand, Route53Client } from '@aws-sdk/client-route-53';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { ReadinessReport } from '../../lambda/contract/assurance';
import { ssmClient } from '../../lambda/lib/aws';
import { loadConfig } from '../../lib/config';
import { deploymentOf } from '../../lib/shared/deployment';
import { motoS3, newBucket, put } from '../../tools/test-support/s3-fixtures';
import { ROOT } from '../support/config';
import { drctl } from '../support/drctl';

// `drctl readiness` end to end: S3 and SSM are moto server's (the drift and the live release are
// real listings and parameters); Route 53, CloudWatch alarms, ACM, AWS Backup and API Gateway are
// faked with aws-sdk-client-mock (moto's health-check status is hard-coded, and it has no ACM
// expiry, continuous recovery points or stage throttling to fake a fault with). The config has an
// app name of its own, so its SSM parameters are not the ones other suites write in moto.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drctl-readiness-'));
const configPath = path.join(dir, 'config.json');
const raw = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'default.json'), 'utf8'));
fs.writeFileSync(configPath, JSON.stringify({ ...raw, appName: 'readytest' }));
const deployment = deploymentOf(loadConfig(configPath));
const s3 = motoS3();
const args = () => ['--config', configPath, '--endpoint-url', process.env.MOTO_ENDPOINT!, '--json'];
let buckets: { primary: string; standby: string };

function fakeTheRest() {
  const hosts = deployment.regionalHosts;
  mockClient(Route53Client)
    .on(ListHealthChecksCommand)
    .resolves({
      HealthChecks: (['primary', 'standby'] as const).map((r) => ({
        Id: `hc-${r}`,
        CallerReference: r,
        HealthCheckVersion: 1,
        HealthCheckConfig: { Type: 'HTTPS_STR_MATCH', FullyQualifiedDomainName: hosts[r] },
      })),
    })
    .on(GetHealthCheckStatusCommand)
    .resolves({ HealthCheckObservations: [{ StatusReport: { Status: 'Success: HTTP Status Code 200' } }] });
  mockClient(CloudWatchClient)
    .on(DescribeAlarmsCommand)
    .resolves({ MetricAlarms: [{ AlarmName: deployment.trafficSwitch.alarmName, StateValue: 'OK' }] });
  const acm = mockClient(ACMClient);
  acm.on(ListCertificatesCommand).resolves({
    CertificateSummaryList: [{ CertificateArn: 'arn:cert', DomainName: deployment.domainName }],
  });
  // One fake answers both regions, so its certificate names both regional hosts.
  acm.on(DescribeCertificateCommand).resolves({
    Certificate: {
      CertificateArn: 'arn:cert',
      DomainName: deployment.domainName,
      SubjectAlternativeNames: [deployment.domainName, hosts.primary, hosts.standby],
      Status: 'ISSUED',
      NotAfter: new Date(Date.now() + 80 * 86_400_000),
    },
  });
  mockClient(BackupClient)
    .on(ListRecoveryPointsByBackupVaultCommand)
    .callsFake(() => ({ RecoveryPoints: [{ Status: 'COMPLETED', CreationDate: new Date(Date.now() - 60_000) }] }));
  mockClient(APIGatewayClient)
    .on(GetBasePathMappingsCommand)
    .resolves({ items: [{ restApiId: 'api', stage: 'live' }] })
    .on(GetStageCommand)
    .resolves({ variables: { release: 'r1' }, methodSettings: { '*/*': { throttlingRateLimit: 50 } } });
}

beforeAll(async () => {
  buckets = { primary: await newBucket(s3), standby: await newBucket(s3) };
  for (const bucket of Object.values(buckets)) {
    await put(s3, bucket, 'releases/r1/index.html', '<h1>r1</h1>');
    await put(s3, bucket, 'releases/r1/healthz', 'portfolio-ok release=r1\n');
    await put(s3, bucket, 'releases/r0/index.html', '<h1>r0</h1>');
  }
  for (const role of ['primary', 'standby'] as const) {
    const ssm = ssmClient({ endpointUrl: process.env.MOTO_ENDPOINT, region: deployment.regions[role] });
    for (const [Name, Value] of [
      [deployment.parameters.siteBucket, buckets[role]],
      [deployment.parameters.liveRelease, 'r1'],
    ]) {
      await ssm.send(new PutParameterCommand({ Name, Value, Type: 'String', Overwrite: true }));
    }
  }
  fakeTheRest();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('drctl readiness (moto)', () => {
  test('no drift: ready, exit 0, every check ok', async () => {
    const r = await drctl('readiness', ...args());
    const report = JSON.parse(r.stdout) as ReadinessReport;
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ready).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Ready: the standby can take traffic.');
  });

  test('drift and a changed live release: not ready, exit 1, both reported with their keys', async () => {
    await put(s3, buckets.primary, 'news.html', 'written, not replicated');
    await put(s3, buckets.standby, 'releases/r1/index.html', '<h1>defaced</h1>');
    const r = await drctl('readiness', ...args());
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ReadinessReport;
    expect(report.ready).toBe(false);
    const byName = Object.fromEntries(report.checks.map((c) => [c.check, c]));
    expect(byName['replication-drift']).toMatchObject({
      ok: false,
      details: { missing: ['news.html'], differing: ['releases/r1/index.html'], extra: [] },
    });
    expect(byName['replication-drift'].summary).toMatch(
      new RegExp(
        `^1 missing, 1 differing, 0 extra in the standby bucket ${buckets.standby}; oldest unreplicated write`,
      ),
    );
    expect(byName['live-release']).toMatchObject({
      ok: false,
      summary: `the live release r1 differs between the regions under releases/r1/: 0 missing, 1 differing, 0 extra in the standby bucket ${buckets.standby}`,
      details: { differing: ['releases/r1/index.html'] },
    });
    expect(report.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['replication-drift', 'live-release']);
    expect(r.stderr).toContain('NOT READY: see docs/runbooks/readiness.md for each failed check.');
  });
});
