import type { ACMClient } from '@aws-sdk/client-acm';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ReadinessCheckName, ReadinessCheckResult } from '../../contract/assurance';
import type { Deployment } from '../../contract/deployment';
import type { RegionRole } from '../../contract/regions';

/** The clients (both regions) and the clock the readiness checks read with. They only read. */
export interface ReadinessDeps {
  readonly deployment: Deployment;
  readonly route53: Route53Client;
  readonly cloudwatch: Record<RegionRole, CloudWatchClient>;
  readonly s3: Record<RegionRole, S3Client>;
  readonly ssm: Record<RegionRole, SSMClient>;
  readonly backup: Record<RegionRole, BackupClient>;
  readonly acm: Record<RegionRole, ACMClient>;
  readonly apigw: Record<RegionRole, APIGatewayClient>;
  readonly now?: () => Date;
}

/** One readiness check: reads through `deps`, judges at `now`. May throw: the runner records it as a failure. */
export type ReadinessCheck = (deps: ReadinessDeps, now: Date) => Promise<ReadinessCheckResult>;

/** A result of `check`. */
export function result(
  check: ReadinessCheckName,
  ok: boolean,
  summary: string,
  details: Record<string, unknown> = {},
): ReadinessCheckResult {
  return { check, ok, summary, details };
}
