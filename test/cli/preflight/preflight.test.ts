import { GetHostedZoneCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { runPreflight } from '../../../cli/preflight/preflight';
import { Names } from '../../../lib/shared/naming';
import { defaultConfig, sharedTemplates } from '../../support/app';
import { awsError, config, mockedClients, REQUIRED } from './fixtures';

const input = (overrides = {}) => ({
  config: config(),
  configPath: 'config/default.json',
  profile: 'dr-operator',
  bootstrap: REQUIRED,
  ...overrides,
});

test('a ready account before its first deploy: every check passes, one line per subject', async () => {
  const { clients } = mockedClients();
  const report = await runPreflight(input(), clients);
  expect(report.checks.map((c) => [c.status, c.check, c.subject])).toEqual([
    ['pass', 'account', 'account 111111111111'],
    ['pass', 'region-enabled', 'us-east-1'],
    ['pass', 'region-enabled', 'us-west-2'],
    ['pass', 'hosted-zone', 'hosted zone Z0000000EXAMPLE0000'],
    ['pass', 'dns-name', 'www.example.com (site name, failover records)'],
    ['pass', 'dns-name', 'us-east-1.www.example.com (regional name of the primary, us-east-1)'],
    ['pass', 'dns-name', 'us-west-2.www.example.com (regional name of the standby, us-west-2)'],
    ['pass', 'cdk-bootstrap', 'us-east-1'],
    ['pass', 'cdk-bootstrap', 'us-west-2'],
    ['pass', 'alert-address', 'oncall@portfolio-owner.dev'],
    ['pass', 'alert-subscriptions', 'paging topics'],
  ]);
  expect(report.ok).toBe(true);
});

test("a primary outside us-east-1: the global stack's region is bootstrapped and checked too", async () => {
  const { clients, mocks } = mockedClients();
  const cfg = config({ regions: { primary: 'us-west-2', standby: 'us-east-1' } });
  const report = await runPreflight(input({ config: cfg }), clients);
  expect(report.checks.filter((c) => c.check === 'cdk-bootstrap').map((c) => c.subject)).toEqual([
    'us-west-2',
    'us-east-1',
  ]);
  expect(mocks.account.calls()).toHaveLength(2);
});

test('the shipped config fails on its placeholder alert address, and only there', async () => {
  const { clients } = mockedClients();
  const report = await runPreflight(input({ config: defaultConfig() }), clients);
  expect(report.ok).toBe(false);
  expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.check)).toEqual(['alert-address']);
});

test('credentials of another account: only the account and the alert address are reported, nothing else is read', async () => {
  const { clients, mocks } = mockedClients();
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: '222222222222' });
  const report = await runPreflight(input(), clients);
  expect(report.checks.map((c) => [c.check, c.status])).toEqual([
    ['account', 'fail'],
    ['alert-address', 'pass'],
  ]);
  expect(report.ok).toBe(false);
  expect(mocks.route53.calls()).toHaveLength(0);
  expect(mocks.account.calls()).toHaveLength(0);
});

test('a failed hosted-zone check leaves the names unchecked, and says so', async () => {
  const { clients, mocks } = mockedClients();
  mocks.route53.on(GetHostedZoneCommand).rejects(awsError('NoSuchHostedZone', 'No hosted zone found', 404));
  const report = await runPreflight(input(), clients);
  expect(report.checks.filter((c) => c.check === 'dns-name').map((c) => [c.status, c.detail, c.fix])).toEqual([
    ['fail', 'not checked: the hosted-zone check failed', 'fix the hosted zone first'],
    ['fail', 'not checked: the hosted-zone check failed', 'fix the hosted zone first'],
    ['fail', 'not checked: the hosted-zone check failed', 'fix the hosted zone first'],
  ]);
  expect(mocks.route53.commandCalls(ListResourceRecordSetsCommand)).toHaveLength(0);
});

test('a synthesized app of another account fails: it came from another config', async () => {
  const { clients } = mockedClients();
  const report = await runPreflight(input({ bootstrap: { ...REQUIRED, accounts: ['333333333333'] } }), clients);
  expect(report.checks.find((c) => c.subject === 'cloud assembly')).toEqual({
    check: 'cdk-bootstrap',
    subject: 'cloud assembly',
    status: 'fail',
    detail: 'the synthesized app is for account 333333333333, not 111111111111: it was synthesized from another config',
    fix: 'npx cdk synth --quiet -c config=config/default.json',
  });
});

test("the app's failover records carry the SetIdentifiers preflight recognizes as its own", () => {
  const cfg = defaultConfig();
  const names = new Names(cfg);
  const records = sharedTemplates().global.findResources('AWS::Route53::RecordSet', {
    Properties: { Name: `${cfg.domainName}.` },
  });
  expect(
    Object.values(records)
      .map((r) => [r.Properties.Failover, r.Properties.SetIdentifier])
      .sort(),
  ).toEqual([
    ['PRIMARY', names.failoverSetIdentifier('primary')],
    ['SECONDARY', names.failoverSetIdentifier('standby')],
  ]);
});
