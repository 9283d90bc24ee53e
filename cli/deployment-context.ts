import { type Command, Option } from 'commander';
import {
  acmClient,
  apiGatewayClient,
  backupClient,
  cloudWatchClient,
  route53Client,
  s3Client,
  ssmClient,
} from '../lambda/lib/aws';
import type { Deployment } from '../lambda/contract/deployment';
import type { RegionRole } from '../lambda/contract/regions';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { deploymentOf } from '../lib/shared/deployment';
import { awsOptions, type CommonFlags } from './common-options';

export interface DeploymentFlags extends CommonFlags {
  readonly config: string;
}

/** Commands that act on a deployment find it through its config file, as `cdk synth` does. */
export function withConfigOption(command: Command): Command {
  return command.addOption(
    new Option('--config <path>', 'the deployment config (regions, names, domain)').default(DEFAULT_CONFIG_PATH),
  );
}

/** The deployment and a client per service and region, for the CLI. */
export function deploymentContext(flags: DeploymentFlags) {
  const deployment: Deployment = deploymentOf(loadConfig(flags.config));
  const base = awsOptions(flags);
  const at = (role: RegionRole) => ({ ...base, region: deployment.regions[role] });
  const perRole = <T>(make: (role: RegionRole) => T): Record<RegionRole, T> => ({
    primary: make('primary'),
    standby: make('standby'),
  });
  return {
    deployment,
    s3: perRole((r) => s3Client(at(r))),
    ssm: perRole((r) => ssmClient(at(r))),
    cloudwatch: perRole((r) => cloudWatchClient(at(r))),
    apigw: perRole((r) => apiGatewayClient(at(r))),
    backup: perRole((r) => backupClient(at(r))),
    acm: perRole((r) => acmClient(at(r))),
    // The Route 53 control plane may be the thing that is down: fail fast and report it.
    route53: route53Client({ ...base, maxAttempts: 2, requestTimeoutMs: 3000 }),
  };
}
