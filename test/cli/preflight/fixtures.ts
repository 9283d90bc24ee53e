import { AccountClient, GetRegionOptStatusCommand } from '@aws-sdk/client-account';
import { APIGatewayClient, GetDomainNameCommand } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import {
  GetHostedZoneCommand,
  type ListResourceRecordSetsCommandInput,
  type ListResourceRecordSetsCommandOutput,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { DrConfig } from '../../../lib/config';
import type { PreflightClients } from '../../../cli/preflight/preflight';
import { defaultConfig } from '../../support/config';

/** The default config with a real-looking alert address (the shipped one is a placeholder). */
export function config(overrides: Partial<DrConfig> = {}): DrConfig {
  return { ...defaultConfig(), alertEmail: 'oncall@portfolio-owner.dev', ...overrides };
}

/** An error as the SDK throws it for a service's answer (with an HTTP status). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

/** Route 53's listing order: name with the labels reversed (trailing dot kept), then type, then SetIdentifier. */
function orderKey(r: { name: string; type: string; id: string }): [string, string, string] {
  const labels = r.name.toLowerCase().replace(/\.$/, '').split('.').reverse();
  return [`${labels.join('.')}.`, r.type, r.id];
}

function compare(a: [string, string, string], b: [string, string, string]): number {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/**
 * A hosted zone's ListResourceRecordSets, paged as Route 53 pages it: from the first record at or
 * after (StartRecordName, StartRecordType, StartRecordIdentifier), MaxItems at a time, with
 * IsTruncated and the Next* position of the first record left out. Records its calls.
 */
export function fakeZone(records: ResourceRecordSet[]) {
  const sorted = [...records].sort((a, b) =>
    compare(
      orderKey({ name: a.Name!, type: a.Type!, id: a.SetIdentifier ?? '' }),
      orderKey({ name: b.Name!, type: b.Type!, id: b.SetIdentifier ?? '' }),
    ),
  );
  const calls: ListResourceRecordSetsCommandInput[] = [];
  const list = (input: ListResourceRecordSetsCommandInput): ListResourceRecordSetsCommandOutput => {
    calls.push(input);
    const start = orderKey({
      name: input.StartRecordName ?? '',
      type: input.StartRecordType ?? '',
      id: input.StartRecordIdentifier ?? '',
    });
    const from = input.StartRecordName
      ? sorted.findIndex(
          (r) => compare(orderKey({ name: r.Name!, type: r.Type!, id: r.SetIdentifier ?? '' }), start) >= 0,
        )
      : 0;
    const rest = from < 0 ? [] : sorted.slice(from);
    const max = input.MaxItems ?? 300;
    const page = rest.slice(0, max);
    const next = rest[max];
    return {
      $metadata: {},
      ResourceRecordSets: page,
      IsTruncated: next !== undefined,
      MaxItems: max,
      ...(next
        ? {
            NextRecordName: next.Name,
            NextRecordType: next.Type,
            ...(next.SetIdentifier ? { NextRecordIdentifier: next.SetIdentifier } : {}),
          }
        : {}),
    };
  };
  return { list, calls };
}

/** Records as Route 53 lists them (names with a trailing dot). */
export const rec = {
  simpleA: (name: string, ip = '192.0.2.10'): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: 'A',
    TTL: 300,
    ResourceRecords: [{ Value: ip }],
  }),
  aaaa: (name: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: 'AAAA',
    TTL: 300,
    ResourceRecords: [{ Value: '2001:db8::10' }],
  }),
  cname: (name: string, target: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: 'CNAME',
    TTL: 300,
    ResourceRecords: [{ Value: target }],
  }),
  txt: (name: string, value: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: 'TXT',
    TTL: 300,
    ResourceRecords: [{ Value: `"${value}"` }],
  }),
  ns: (name: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: 'NS',
    TTL: 172800,
    ResourceRecords: [{ Value: 'ns1.other-dns.example.' }],
  }),
  failoverA: (name: string, failover: 'PRIMARY' | 'SECONDARY', id: string, target: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: 'A',
    SetIdentifier: id,
    Failover: failover,
    HealthCheckId: '11111111-2222-3333-4444-555555555555',
    AliasTarget: { HostedZoneId: 'Z1UJRXOUMOOFQ8', DNSName: `${target}.`, EvaluateTargetHealth: true },
  }),
  aliasA: (name: string, target: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: 'A',
    AliasTarget: { HostedZoneId: 'Z1UJRXOUMOOFQ8', DNSName: `${target}.`, EvaluateTargetHealth: true },
  }),
};

/** The API Gateway regional domain targets of the default config's regional names, once deployed. */
export const TARGETS = {
  primary: 'd-prim123456.execute-api.us-east-1.amazonaws.com',
  standby: 'd-stby123456.execute-api.us-west-2.amazonaws.com',
  sitePrimary: 'd-site111111.execute-api.us-east-1.amazonaws.com',
  siteStandby: 'd-site222222.execute-api.us-west-2.amazonaws.com',
};

/** What the zone holds once this app is deployed on the default config, plus unrelated records. */
export function deployedRecords(): ResourceRecordSet[] {
  return [
    { Name: 'example.com.', Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns-01.org.' }] },
    {
      Name: 'example.com.',
      Type: 'SOA',
      TTL: 900,
      ResourceRecords: [{ Value: 'ns-1.awsdns-01.org. hostmaster.example.com. 1 7200 900 1209600 86400' }],
    },
    rec.txt('www.example.com', 'google-site-verification=abc'),
    rec.failoverA('www.example.com', 'PRIMARY', 'primary-us-east-1', TARGETS.sitePrimary),
    rec.failoverA('www.example.com', 'SECONDARY', 'standby-us-west-2', TARGETS.siteStandby),
    rec.cname('_0123abcd.www.example.com', '_4567ef.acm-validations.aws.'),
    rec.aliasA('us-east-1.www.example.com', TARGETS.primary),
    rec.aliasA('us-west-2.www.example.com', TARGETS.standby),
    rec.simpleA('zzz.example.com'),
  ];
}

/** Mocked clients, one per service and region, answering as a ready, bootstrapped, undeployed account. */
export function mockedClients(options: { records?: ResourceRecordSet[]; deployed?: boolean } = {}) {
  const regions = ['us-east-1', 'us-west-2'];
  const make = <C>(ctor: new (c: { region: string }) => C) =>
    Object.fromEntries(regions.map((r) => [r, new ctor({ region: r })])) as Record<string, C>;
  const cfn = make(CloudFormationClient);
  const sns = make(SNSClient);
  const apigw = make(APIGatewayClient);
  const clients: PreflightClients = {
    sts: new STSClient({ region: 'us-east-1' }),
    account: new AccountClient({ region: 'us-east-1' }),
    route53: new Route53Client({ region: 'us-east-1' }),
    cloudFormation: (r) => cfn[r],
    sns: (r) => sns[r],
    apiGateway: (r) => apigw[r],
  };
  const zone = fakeZone(options.records ?? []);
  const mocks = {
    sts: mockClient(clients.sts),
    account: mockClient(clients.account),
    route53: mockClient(clients.route53),
    cfn: Object.fromEntries(regions.map((r) => [r, mockClient(cfn[r])])),
    sns: Object.fromEntries(regions.map((r) => [r, mockClient(sns[r])])),
    apigw: Object.fromEntries(regions.map((r) => [r, mockClient(apigw[r])])),
    zone,
  };
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:x' });
  mocks.account.on(GetRegionOptStatusCommand).callsFake((i) => ({
    RegionName: i.RegionName,
    RegionOptStatus: 'ENABLED_BY_DEFAULT',
  }));
  mocks.route53.on(GetHostedZoneCommand).resolves({
    HostedZone: {
      Id: '/hostedzone/Z0000000EXAMPLE0000',
      Name: 'example.com.',
      CallerReference: 'x',
      Config: { PrivateZone: false },
    },
  });
  mocks.route53.on(ListResourceRecordSetsCommand).callsFake(zone.list);
  for (const r of regions) {
    mocks.cfn[r].on(DescribeStacksCommand, { StackName: 'CDKToolkit' }).resolves({
      Stacks: [
        {
          StackName: 'CDKToolkit',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date('2026-01-01T00:00:00Z'),
          Outputs: [{ OutputKey: 'BootstrapVersion', OutputValue: '30' }],
        },
      ],
    });
    mocks.cfn[r].on(ListStackResourcesCommand).callsFake((i) => {
      throw awsError('ValidationError', `Stack with id ${i.StackName} does not exist`);
    });
    // No paging topic exists until the first deploy: SNS answers NotFound.
    mocks.sns[r]
      .on(ListSubscriptionsByTopicCommand)
      .rejects(awsError('NotFoundException', 'Topic does not exist', 404));
    mocks.apigw[r].on(GetDomainNameCommand).callsFake((i) => {
      if (!options.deployed) throw awsError('NotFoundException', 'Invalid domain name identifier specified', 404);
      const target = i.domainName === 'us-east-1.www.example.com' ? TARGETS.primary : TARGETS.standby;
      return { domainName: i.domainName, regionalDomainName: target, regionalHostedZoneId: 'Z1UJRXOUMOOFQ8' };
    });
  }
  return { clients, mocks };
}

/** What the synthesized default app needs (see cdk.out/manifest.json). */
export const REQUIRED = { version: 6, source: 'cdk.out/manifest.json', accounts: ['111111111111'] };
