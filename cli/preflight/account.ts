import { type AccountClient, GetRegionOptStatusCommand } from '@aws-sdk/client-account';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { answeredByAws, awsCliEnv, type CheckResult, describeError, errorName, fail, pass, shellQuote } from './result';

/**
 * Regions launched after 20 March 2019 are disabled until an account opts in; every older region
 * is ENABLED_BY_DEFAULT and cannot be disabled
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html). Of the regions
 * the config accepts, these are opt-in.
 */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
]);

/** The credentials belong to the config's account. */
export async function checkAccount(
  sts: STSClient,
  expected: string,
  configPath: string,
  profile: string | undefined,
): Promise<CheckResult> {
  const subject = `account ${expected}`;
  let actual: string | undefined;
  try {
    actual = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (err) {
    return fail(
      'account',
      subject,
      `cannot read the credentials' account (${describeError(err)})`,
      !answeredByAws(err)
        ? 'AWS STS could not be reached or no credentials were found: check the network (and any proxy) and the credentials, then run preflight again'
        : profile
          ? `aws sso login --profile ${shellQuote(profile)} (or refresh the profile's credentials), then run preflight again`
          : 'name a profile with --profile, or set AWS_PROFILE or credentials in the environment',
    );
  }
  if (actual === expected) return pass('account', subject, `the credentials are for account ${actual}`);
  return fail(
    'account',
    subject,
    `the credentials are for account ${actual}, but ${configPath} says "account": "${expected}"`,
    `run with --profile <a profile of account ${expected}>; or, if ${expected} is wrong, set "account" in ${configPath} to "${actual}"`,
  );
}

/** Each region the app deploys to is enabled for the account (opt-in status ENABLED or ENABLED_BY_DEFAULT). */
export async function checkRegionEnabled(
  account: AccountClient,
  region: string,
  profile: string | undefined,
): Promise<CheckResult> {
  // The Account API is global: its endpoint is in us-east-1 whatever region it is asked about.
  const env = awsCliEnv('us-east-1', profile);
  let status: string | undefined;
  try {
    status = (await account.send(new GetRegionOptStatusCommand({ RegionName: region }))).RegionOptStatus;
  } catch (err) {
    if (!OPT_IN_REGIONS.has(region) && errorName(err) === 'AccessDeniedException') {
      return pass(
        'region-enabled',
        region,
        'enabled by default (it predates opt-in regions)',
        `could not confirm with GetRegionOptStatus (${describeError(err)})`,
      );
    }
    return fail(
      'region-enabled',
      region,
      `cannot read the region's opt-in status (${describeError(err)})`,
      `grant account:GetRegionOptStatus to the profile, or check: aws account get-region-opt-status ${env} --region-name ${region}`,
    );
  }
  if (status === 'ENABLED' || status === 'ENABLED_BY_DEFAULT') {
    return pass('region-enabled', region, `opt-in status ${status}`);
  }
  if (status === 'ENABLING') {
    return fail(
      'region-enabled',
      region,
      'opt-in status ENABLING: the region is being enabled (minutes, sometimes hours)',
      `wait until this prints ENABLED: aws account get-region-opt-status ${env} --region-name ${region}`,
    );
  }
  return fail(
    'region-enabled',
    region,
    `opt-in status ${status ?? 'unknown'}: nothing can be deployed there`,
    `aws account enable-region ${env} --region-name ${region}`,
  );
}
