import type { AccountClient } from '@aws-sdk/client-account';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ResourceRecordSet, Route53Client } from '@aws-sdk/client-route-53';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';
import { type DrConfig, pagingSubscriptions } from '../../lib/config';
import { GLOBAL_REGION, REGION_ROLES, type RegionRole } from '../../lambda/contract/regions';
import { Names } from '../../lib/shared/naming';
import { checkAccount, checkRegionEnabled } from './account';
import { checkAlertAddress, checkSubscriptions } from './alerts';
import { checkBootstrap, type RequiredBootstrap } from './bootstrap';
import { checkHostedZone, normalizeName } from './hosted-zone';
import { type AppName, checkName, regionalDomainTarget } from './records';
import { type CheckResult, fail } from './result';

/** The clients preflight reads with; injected, so tests mock them. Every call is read-only. */
export interface PreflightClients {
  readonly sts: STSClient;
  readonly account: AccountClient;
  readonly route53: Route53Client;
  readonly cloudFormation: (region: string) => CloudFormationClient;
  readonly sns: (region: string) => SNSClient;
  readonly apiGateway: (region: string) => APIGatewayClient;
}

export interface PreflightInput {
  readonly config: DrConfig;
  /** Where the config was read from, for the fixes that edit it. */
  readonly configPath: string;
  /** The profile the operator named, repeated in every fix command. */
  readonly profile?: string;
  /** The bootstrap version the synthesized app needs, or why it is unknown. */
  readonly bootstrap: RequiredBootstrap | string;
  /** Page size for ListResourceRecordSets (tests use small pages). */
  readonly recordPageSize?: number;
}

export interface PreflightReport {
  /** True when every check passed. */
  readonly ok: boolean;
  readonly checks: readonly CheckResult[];
}

/** Every region the app deploys to: primary, standby and the global stack's region. */
export function deployRegions(config: DrConfig): string[] {
  return [...new Set([config.regions.primary, config.regions.standby, GLOBAL_REGION])];
}

/** The names the app writes records at, and how its own records look. */
function appNames(
  config: DrConfig,
  names: Names,
  regionalTargets: Record<RegionRole, string | undefined>,
): Record<'site' | RegionRole, AppName> {
  const apex = (name: string) => name === config.hostedZone.name;
  const failover = new Map<string, string>([
    [names.failoverSetIdentifier('primary'), 'PRIMARY'],
    [names.failoverSetIdentifier('standby'), 'SECONDARY'],
  ]);
  const regional = (role: RegionRole): AppName => ({
    name: names.regionalHost(role),
    purpose: `regional name of the ${role}, ${names.regionOf(role)}`,
    apex: apex(names.regionalHost(role)),
    kind: 'regional',
    isOurs: (r: ResourceRecordSet) =>
      r.Type === 'A' &&
      r.SetIdentifier === undefined &&
      regionalTargets[role] !== undefined &&
      normalizeName(r.AliasTarget?.DNSName ?? '') === regionalTargets[role],
  });
  return {
    site: {
      name: config.domainName,
      purpose: 'site name, failover records',
      apex: apex(config.domainName),
      kind: 'failover',
      isOurs: (r) =>
        r.Type === 'A' &&
        r.SetIdentifier !== undefined &&
        r.Failover !== undefined &&
        failover.get(r.SetIdentifier) === r.Failover,
    },
    primary: regional('primary'),
    standby: regional('standby'),
  };
}

/**
 * What a first deploy needs, checked before it starts, read-only: the account and its regions,
 * the hosted zone, the names the app writes records at, the CDK bootstrap of every region, and
 * the paging path (a real alert address; after a deploy, confirmed subscriptions). When the
 * credentials are not for the config's account, only the account and the alert address are
 * reported: everything else would describe another account.
 */
export async function runPreflight(input: PreflightInput, clients: PreflightClients): Promise<PreflightReport> {
  const { config, configPath, profile } = input;
  const names = new Names(config);
  const checks: CheckResult[] = [];

  const account = await checkAccount(clients.sts, config.account, configPath, profile);
  checks.push(account);
  if (account.status === 'fail') {
    // Every other AWS answer would be about another account, or fail the same way: fix this first.
    checks.push(checkAlertAddress(config.alertEmail, configPath));
    return { ok: false, checks };
  }
  for (const region of deployRegions(config)) {
    checks.push(await checkRegionEnabled(clients.account, region, profile));
  }

  const zone = await checkHostedZone(clients.route53, config, configPath, profile);
  checks.push(zone);
  const targets = {} as Record<RegionRole, string | undefined>;
  const targetErrors: Partial<Record<RegionRole, string>> = {};
  for (const role of REGION_ROLES) {
    const found = await regionalDomainTarget(clients.apiGateway(names.regionOf(role)), names.regionalHost(role));
    targets[role] = found.target;
    if (found.error) targetErrors[role] = found.error;
  }
  const atNames = appNames(config, names, targets);
  for (const key of ['site', ...REGION_ROLES] as const) {
    const appName = atNames[key];
    const subject = `${appName.name} (${appName.purpose})`;
    if (zone.status === 'fail') {
      checks.push(fail('dns-name', subject, 'not checked: the hosted-zone check failed', 'fix the hosted zone first'));
    } else if (key !== 'site' && targetErrors[key]) {
      checks.push(
        fail(
          'dns-name',
          subject,
          `cannot tell whether its records are this app's: reading the API Gateway custom domain failed (${targetErrors[key]})`,
          `grant apigateway:GET on arn:aws:apigateway:${names.regionOf(key)}::/domainnames/${appName.name} to the profile`,
        ),
      );
    } else {
      checks.push(await checkName(clients.route53, config.hostedZone.id, appName, profile, input.recordPageSize));
    }
  }

  if (typeof input.bootstrap !== 'string' && !input.bootstrap.accounts.every((a) => a === config.account)) {
    checks.push(
      fail(
        'cdk-bootstrap',
        'cloud assembly',
        `the synthesized app is for account ${input.bootstrap.accounts.join(', ')}, not ${config.account}: it was synthesized from another config`,
        `npx cdk synth --quiet -c config=${configPath}`,
      ),
    );
  }
  for (const region of deployRegions(config)) {
    checks.push(await checkBootstrap(clients.cloudFormation(region), config.account, region, input.bootstrap, profile));
  }

  checks.push(checkAlertAddress(config.alertEmail, configPath));
  const topics = deployRegions(config).flatMap((region) =>
    (['high', 'low'] as const).map((urgency) => ({
      region,
      urgency,
      arn: `arn:aws:sns:${region}:${config.account}:${names.pagingTopic(urgency)}`,
      subscriptions: pagingSubscriptions(config, urgency),
    })),
  );
  checks.push(...(await checkSubscriptions(topics, clients, profile)));

  return { ok: checks.every((c) => c.status === 'pass'), checks };
}
