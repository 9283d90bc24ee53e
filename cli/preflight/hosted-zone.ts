import { GetHostedZoneCommand, type Route53Client } from '@aws-sdk/client-route-53';
import type { DrConfig } from '../../lib/config';
import { awsCliEnv, type CheckResult, describeError, errorName, fail, pass } from './result';

/** A DNS name as Route 53 returns it (`Example.com.`), made comparable with the config's. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** The config's hosted zone exists in this account, is public, and has the config's name. */
export async function checkHostedZone(
  route53: Route53Client,
  config: Pick<DrConfig, 'hostedZone'>,
  configPath: string,
  profile: string | undefined,
): Promise<CheckResult> {
  const { id, name } = config.hostedZone;
  const subject = `hosted zone ${id}`;
  const find = `aws route53 list-hosted-zones-by-name ${awsCliEnv('us-east-1', profile)} --dns-name ${name} --query "HostedZones[?Name=='${name}.'].[Id,Config.PrivateZone]" --output text`;
  let zone;
  try {
    zone = (await route53.send(new GetHostedZoneCommand({ Id: id }))).HostedZone;
  } catch (err) {
    const missing = errorName(err) === 'NoSuchHostedZone';
    return fail(
      'hosted-zone',
      subject,
      missing
        ? `no hosted zone ${id} in this account (${describeError(err)})`
        : `cannot read the hosted zone (${describeError(err)})`,
      missing
        ? `find the public zone's id with: ${find}; then set "hostedZone.id" in ${configPath}`
        : 'grant route53:GetHostedZone and route53:ListResourceRecordSets to the profile',
    );
  }
  const actualName = normalizeName(zone?.Name ?? '');
  if (zone?.Config?.PrivateZone) {
    return fail(
      'hosted-zone',
      subject,
      `${id} is a private zone (${actualName}): its records are not served on the internet`,
      `use the public zone: ${find}; then set "hostedZone.id" in ${configPath}`,
    );
  }
  if (actualName !== name) {
    return fail(
      'hosted-zone',
      subject,
      `${id} is the zone ${actualName}, but ${configPath} says "hostedZone.name": "${name}"`,
      `set "hostedZone.id" in ${configPath} to the zone of ${name} (${find}), or "hostedZone.name" to "${actualName}" if that zone is the right one`,
    );
  }
  return pass('hosted-zone', subject, `public zone ${actualName}`);
}
