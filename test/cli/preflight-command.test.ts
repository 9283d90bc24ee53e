import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AccountClient, GetRegionOptStatusCommand } from '@aws-sdk/client-account';
import { APIGatewayClient, GetDomainNameCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { buildProgram } from '../../cli/main';
import { deploymentFacts } from '../../tools/docs-check/facts';
import { ROOT } from '../support/config';
import { drctl } from '../support/drctl';
import { awsError, fakeZone, rec } from './preflight/fixtures';

// Every client the command makes is mocked at the class level: no call leaves the process.
const mocks: AwsStub<any, any, any>[] = [];
function mockAws(records = [rec.simpleA('www.example.com')]) {
  const sts = mockClient(STSClient);
  const account = mockClient(AccountClient);
  const route53 = mockClient(Route53Client);
  const cfn = mockClient(CloudFormationClient);
  const apigw = mockClient(APIGatewayClient);
  // No paging topic deployed yet: SNS answers NotFound.
  mockClient(SNSClient)
    .on(ListSubscriptionsByTopicCommand)
    .rejects(awsError('NotFoundException', 'Topic does not exist', 404));
  mocks.push(sts, account, route53, cfn, apigw);
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111111111111' });
  account.on(GetRegionOptStatusCommand).resolves({ RegionOptStatus: 'ENABLED_BY_DEFAULT' });
  route53.on(GetHostedZoneCommand).resolves({
    HostedZone: {
      Id: '/hostedzone/Z0000000EXAMPLE0000',
      Name: 'example.com.',
      CallerReference: 'x',
      Config: { PrivateZone: false },
    },
  });
  route53.on(ListResourceRecordSetsCommand).callsFake(fakeZone(records).list);
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'CDKToolkit',
        StackStatus: 'CREATE_COMPLETE',
        CreationTime: new Date(),
        Outputs: [{ OutputKey: 'BootstrapVersion', OutputValue: '30' }],
      },
    ],
  });
  cfn.on(ListStackResourcesCommand).rejects(awsError('ValidationError', 'Stack with id x does not exist'));
  apigw
    .on(GetDomainNameCommand)
    .rejects(awsError('NotFoundException', 'Invalid domain name identifier specified', 404));
}
afterEach(() => mocks.splice(0).forEach((m) => m.restore()));

function files(alertEmail = 'oncall@portfolio-owner.dev') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
  const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'default.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...cfg, alertEmail }));
  const cdkOut = path.join(dir, 'cdk.out');
  fs.mkdirSync(cdkOut);
  fs.writeFileSync(
    path.join(cdkOut, 'manifest.json'),
    JSON.stringify({
      // A cloud assembly manifest always carries its schema version; drctl reads it with the schema's loader.
      version: '55.0.0',
      artifacts: {
        'portfolio-global-dns': {
          type: 'aws:cloudformation:stack',
          environment: 'aws://111111111111/us-east-1',
          properties: { requiresBootstrapStackVersion: 6 },
        },
      },
    }),
  );
  return { config: path.join(dir, 'config.json'), cdkOut };
}

test('prints pass and fail per check with the fix, and exits 1 when a check fails', async () => {
  mockAws();
  const f = files();
  const r = await drctl('preflight', '--config', f.config, '--profile', 'dr-operator', '--cdk-out', f.cdkOut);
  expect(r.code).toBe(1);
  const lines = r.stdout.split('\n');
  expect(lines[0]).toBe('PASS  account             account 111111111111: the credentials are for account 111111111111');
  expect(lines).toContain(
    "FAIL  dns-name            www.example.com (site name, failover records): simple A -> 192.0.2.10: Route 53 refuses this app's failover A records next to an A record with another routing policy or owner",
  );
  expect(lines).toContain('PASS  cdk-bootstrap       us-west-2: bootstrap version 30 (the app needs 6 or later)');
  expect(r.stdout).toContain(
    '      fix: the name serves a site: cut over as in docs/runbooks/deploy.md#c-first-deploy-onto-a-name-that-is-already-live',
  );
  expect(lines).toContain('preflight: 1 of 11 checks failed; fix them before "cdk deploy"');
});

test('--json prints the report on stdout; all passing exits 0', async () => {
  mockAws([]);
  const f = files();
  const r = await drctl('preflight', '--config', f.config, '--profile', 'dr-operator', '--cdk-out', f.cdkOut, '--json');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.ok).toBe(true);
  expect(report.checks).toHaveLength(11);
  expect(r.stderr).toContain('preflight: all 11 checks passed');
});

test('without a synthesized app, the bootstrap checks fail and ask for a synth', async () => {
  mockAws([]);
  const f = files();
  const r = await drctl('preflight', '--config', f.config, '--cdk-out', path.join(f.cdkOut, 'missing'), '--json');
  expect(r.code).toBe(1);
  const failed = JSON.parse(r.stdout).checks.filter((c: { status: string }) => c.status === 'fail');
  expect(failed.map((c: { detail: string; fix: string }) => [c.detail, c.fix])).toEqual(
    ['us-east-1', 'us-west-2'].map(() => [
      `cannot tell which bootstrap version the app needs: ${path.join(f.cdkOut, 'missing', 'manifest.json')} does not exist: the app has not been synthesized`,
      'npx cdk synth --quiet (then run preflight again)',
    ]),
  );
});

test('the docs check knows preflight and its options (it reads buildProgram())', () => {
  expect([...deploymentFacts([], buildProgram()).cliCommands.get('preflight')!].sort()).toEqual(
    ['--cdk-out', '--config', '--help', '--json', '--profile'].sort(),
  );
});
