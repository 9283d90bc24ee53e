import type { S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { Deployment } from '../contract/deployment';
import type { RegionRole } from '../contract/regions';

/** SSM and S3 clients of both regions: site bucket names live in each region's SSM parameters. */
export interface RegionClients {
  readonly ssm: Record<RegionRole, SSMClient>;
  readonly s3: Record<RegionRole, S3Client>;
}

/** The site bucket of one region, from that region's SSM parameter. */
export async function siteBucket(deployment: Deployment, clients: RegionClients, role: RegionRole): Promise<string> {
  const out = await clients.ssm[role].send(new GetParameterCommand({ Name: deployment.parameters.siteBucket }));
  if (!out.Parameter?.Value)
    throw new Error(`SSM parameter ${deployment.parameters.siteBucket} is empty in ${deployment.regions[role]}`);
  return out.Parameter.Value;
}
