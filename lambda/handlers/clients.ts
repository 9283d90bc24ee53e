import {
  acmClient,
  apiGatewayClient,
  backupClient,
  cloudWatchClient,
  route53Client,
  s3Client,
  ssmClient,
} from '../lib/aws';
import { type Deployment, deploymentFromEnv } from '../contract/deployment';
import type { RegionRole } from '../contract/regions';
import { endpointUrlProblem } from '../lib/endpoint-url';

/**
 * Clients shared by every handler of one execution environment, created once (outside the
 * handlers, so warm invocations reuse connections). Each region's clients call that region, so a
 * playbook in the surviving region needs nothing from the failed one but the data it reads.
 */
export interface Clients {
  readonly deployment: Deployment;
  readonly s3: Record<RegionRole, ReturnType<typeof s3Client>>;
  readonly ssm: Record<RegionRole, ReturnType<typeof ssmClient>>;
  readonly cloudwatch: Record<RegionRole, ReturnType<typeof cloudWatchClient>>;
  readonly apigw: Record<RegionRole, ReturnType<typeof apiGatewayClient>>;
  readonly backup: Record<RegionRole, ReturnType<typeof backupClient>>;
  readonly acm: Record<RegionRole, ReturnType<typeof acmClient>>;
  readonly route53: ReturnType<typeof route53Client>;
}

let cached: Clients | undefined;

/**
 * The clients, created on first use. DR_ENDPOINT_URL (unset in AWS) points every client at an
 * emulator such as moto, to run the handlers locally; it is what `drctl --endpoint-url` does.
 */
export function clients(env: NodeJS.ProcessEnv = process.env): Clients {
  if (cached) return cached;
  const deployment = deploymentFromEnv(env);
  const endpointUrl = env.DR_ENDPOINT_URL || undefined;
  const problem = endpointUrl === undefined ? undefined : endpointUrlProblem(endpointUrl);
  if (problem) throw new Error(`DR_ENDPOINT_URL: got "${endpointUrl}", ${problem}`);
  const perRole = <T>(make: (region: string) => T): Record<RegionRole, T> => ({
    primary: make(deployment.regions.primary),
    standby: make(deployment.regions.standby),
  });
  cached = {
    deployment,
    s3: perRole((region) => s3Client({ region, endpointUrl })),
    ssm: perRole((region) => ssmClient({ region, endpointUrl })),
    cloudwatch: perRole((region) => cloudWatchClient({ region, endpointUrl })),
    apigw: perRole((region) => apiGatewayClient({ region, endpointUrl })),
    backup: perRole((region) => backupClient({ region, endpointUrl })),
    acm: perRole((region) => acmClient({ region, endpointUrl })),
    route53: route53Client({ endpointUrl, maxAttempts: 2, requestTimeoutMs: 3000 }),
  };
  return cached;
}

/** Forget the clients (tests change the environment between cases). */
export function resetClients(): void {
  cached = undefined;
}
