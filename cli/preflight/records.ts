import { type APIGatewayClient, GetDomainNameCommand } from '@aws-sdk/client-api-gateway';
import { ListResourceRecordSetsCommand, type ResourceRecordSet, type Route53Client } from '@aws-sdk/client-route-53';
import { normalizeName } from './hosted-zone';
import { awsCliEnv, type CheckResult, describeError, errorName, fail, pass, shellQuote } from './result';

/** Where the deploy runbook explains how to take over a name that already serves a site. */
export const CUTOVER_SECTION = 'docs/runbooks/deploy.md#c-first-deploy-onto-a-name-that-is-already-live';

/**
 * Every record set at exactly one name, across pages. ListResourceRecordSets sorts by name with
 * the labels reversed, then by type, and starts at the first name >= StartRecordName; a truncated
 * page names where the next starts (NextRecordName, NextRecordType and, for records with a routing
 * policy, NextRecordIdentifier), which go back as StartRecordName, StartRecordType and
 * StartRecordIdentifier. The listing stops at the first record, or next start, of another name.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html
 */
export async function listRecordsAt(
  route53: Route53Client,
  zoneId: string,
  name: string,
  pageSize?: number,
): Promise<ResourceRecordSet[]> {
  const target = normalizeName(name);
  const records: ResourceRecordSet[] = [];
  let start: Pick<
    ListResourceRecordSetsCommand['input'],
    'StartRecordName' | 'StartRecordType' | 'StartRecordIdentifier'
  > = { StartRecordName: name };
  for (;;) {
    const page = await route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start, MaxItems: pageSize }),
    );
    for (const record of page.ResourceRecordSets ?? []) {
      if (normalizeName(record.Name ?? '') !== target) return records;
      records.push(record);
    }
    if (!page.IsTruncated || !page.NextRecordName || normalizeName(page.NextRecordName) !== target) return records;
    const next = {
      StartRecordName: page.NextRecordName,
      StartRecordType: page.NextRecordType,
      StartRecordIdentifier: page.NextRecordIdentifier,
    };
    if (JSON.stringify(next) === JSON.stringify(start)) {
      // Never loop forever on an answer that does not move on.
      throw new Error(`ListResourceRecordSets did not advance past ${JSON.stringify(next)}`);
    }
    start = next;
  }
}

/** One name the app writes records at, and how to recognize the records that are the app's own. */
export interface AppName {
  readonly name: string;
  /** For people: "site name", "regional name of the primary (us-east-1)". */
  readonly purpose: string;
  /** The name is the zone apex: its NS and SOA records are the zone's own. */
  readonly apex: boolean;
  /** The site name carries the failover pair; a regional name one simple alias A record. */
  readonly kind: 'failover' | 'regional';
  /** A record set this app wrote there. */
  readonly isOurs: (record: ResourceRecordSet) => boolean;
}

/** A record at an app name that stops the deploy, or would defeat it. */
export interface Blocker {
  readonly record: ResourceRecordSet;
  readonly reason: string;
}

/** A one-line description of a record set: `simple A -> 192.0.2.1`, `failover A (primary-x) -> alias d-1.execute-api...`. */
export function describeRecord(r: ResourceRecordSet): string {
  const policy = r.Failover
    ? `failover ${r.Failover}`
    : r.Weight !== undefined
      ? 'weighted'
      : r.Region
        ? 'latency'
        : r.GeoLocation || r.GeoProximityLocation
          ? 'geo'
          : r.MultiValueAnswer
            ? 'multivalue'
            : r.CidrRoutingConfig
              ? 'IP-based'
              : 'simple';
  const id = r.SetIdentifier ? ` (SetIdentifier "${r.SetIdentifier}")` : '';
  const value = r.AliasTarget
    ? `alias ${normalizeName(r.AliasTarget.DNSName ?? '')}`
    : (r.ResourceRecords ?? []).map((v) => v.Value).join(', ');
  return `${policy} ${r.Type}${id} -> ${value}`;
}

/**
 * The records at an app name that are not the app's and conflict with what it creates. The rules:
 * - a CNAME excludes every other record at its name (RFC 1034 3.6.2): Route 53 refuses the app's A;
 * - an A record that is not the app's: at the site name, Route 53 refuses failover records next to
 *   records of the same name and type with another routing policy (a simple A) or another owner
 *   ("You can't create non-failover resource record sets that have the same values for the Name
 *   and Type elements as failover resource record sets", API ResourceRecordSet, Failover);
 *   at a regional name, CloudFormation creates the app's A record with a CREATE, which fails
 *   ("Tried to create resource record set ... but it already exists");
 * - an AAAA record does not stop the deploy (the app creates only A records), but IPv6 clients would
 *   keep reaching its target, bypassing the app and its failover;
 * - an NS record below the apex delegates the name: resolvers would never see the app's records.
 * Other types (TXT, MX, CAA, ...) live beside A records and do not conflict.
 */
export function blockersAt(appName: AppName, records: readonly ResourceRecordSet[]): Blocker[] {
  const blockers: Blocker[] = [];
  for (const record of records) {
    if (appName.isOurs(record)) continue;
    const what = describeRecord(record);
    switch (record.Type) {
      case 'CNAME':
        blockers.push({
          record,
          reason: `${what}: a CNAME excludes every other record at its name, so Route 53 refuses this app's A record${appName.kind === 'failover' ? 's' : ''}`,
        });
        break;
      case 'A':
        blockers.push({
          record,
          reason:
            appName.kind === 'failover'
              ? `${what}: Route 53 refuses this app's failover A records next to an A record with another routing policy or owner`
              : `${what}: CloudFormation creates this app's alias A record with a CREATE, which fails when the name already has an A record`,
        });
        break;
      case 'AAAA':
        blockers.push({
          record,
          reason: `${what}: does not stop the deploy, but IPv6 clients would keep reaching it, bypassing this app and its failover`,
        });
        break;
      case 'NS':
        if (!appName.apex) {
          blockers.push({
            record,
            reason: `${what}: the name is delegated to other name servers, so resolvers would never see this app's records`,
          });
        }
        break;
      default:
        break;
    }
  }
  return blockers;
}

/** The records at one app name are free, or the app's own; otherwise what blocks and how to clear it. */
export async function checkName(
  route53: Route53Client,
  zoneId: string,
  appName: AppName,
  profile: string | undefined,
  pageSize?: number,
): Promise<CheckResult> {
  const subject = `${appName.name} (${appName.purpose})`;
  let records: ResourceRecordSet[];
  try {
    records = await listRecordsAt(route53, zoneId, appName.name, pageSize);
  } catch (err) {
    return fail(
      'dns-name',
      subject,
      `cannot list the records at the name (${describeError(err)})`,
      'grant route53:ListResourceRecordSets on the hosted zone to the profile',
    );
  }
  const blockers = blockersAt(appName, records);
  if (blockers.length > 0) {
    const batch = JSON.stringify({
      Comment: `drctl preflight: free ${appName.name} for the DR stacks`,
      Changes: blockers.map((b) => ({ Action: 'DELETE', ResourceRecordSet: b.record })),
    });
    const remove = `aws route53 change-resource-record-sets ${awsCliEnv('us-east-1', profile)} --hosted-zone-id ${zoneId} --change-batch ${shellQuote(batch)}`;
    return fail(
      'dns-name',
      subject,
      blockers.map((b) => b.reason).join('; '),
      appName.kind === 'failover'
        ? `the name serves a site: cut over as in ${CUTOVER_SECTION} (least downtime, and the way back). Only if nothing is served there: ${remove}`
        : `if nothing uses these records, delete them (the change is atomic; save them first with the list in ${CUTOVER_SECTION}): ${remove}`,
    );
  }
  const ours = records.filter(appName.isOurs);
  const others = [...new Set(records.filter((r) => !appName.isOurs(r)).map((r) => r.Type))];
  const note = others.length > 0 ? `also holds ${others.join(', ')} records, which do not conflict` : undefined;
  return ours.length === 0
    ? pass('dns-name', subject, 'free: no A, AAAA or CNAME record at the name', note)
    : pass('dns-name', subject, `held by this app: ${ours.map(describeRecord).join('; ')}`, note);
}

/**
 * The alias target (`d-xxxx.execute-api.<region>.amazonaws.com`) of this app's API Gateway custom
 * domain for a regional name, if the hosting stack has created it; an alias A record pointing at
 * it is the app's own.
 */
export async function regionalDomainTarget(
  apigw: APIGatewayClient,
  domainName: string,
): Promise<{ readonly target?: string; readonly error?: string }> {
  try {
    const domain = await apigw.send(new GetDomainNameCommand({ domainName }));
    return { target: domain.regionalDomainName ? normalizeName(domain.regionalDomainName) : undefined };
  } catch (err) {
    if (errorName(err) === 'NotFoundException') return {};
    return { error: describeError(err) };
  }
}
