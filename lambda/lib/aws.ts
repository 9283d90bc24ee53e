import { ACMClient } from '@aws-sdk/client-acm';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { fromIni } from '@aws-sdk/credential-providers';

/** Where and as whom the playbooks call AWS. Every field is optional: the SDK's defaults apply. */
export interface AwsOptions {
  readonly region?: string;
  /** A profile of ~/.aws/config (CLI only; Lambdas use their role). */
  readonly profile?: string;
  /** An S3-compatible or emulated endpoint, e.g. http://127.0.0.1:5000 for moto. */
  readonly endpointUrl?: string;
  /** Attempts per request, including the first (the SDK retries throttling and 5xx with backoff). */
  readonly maxAttempts?: number;
  /** Give up on a request after this long (default: the SDK's, no limit). */
  readonly requestTimeoutMs?: number;
}

/** The settings every client of the playbooks shares. */
function common(options: AwsOptions) {
  return {
    region: options.region,
    endpoint: options.endpointUrl,
    credentials: options.profile ? fromIni({ profile: options.profile }) : undefined,
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.requestTimeoutMs
      ? { requestHandler: { requestTimeout: options.requestTimeoutMs, connectionTimeout: options.requestTimeoutMs } }
      : {}),
  };
}

export function s3Client(options: AwsOptions = {}): S3Client {
  // Emulators and S3-compatible stores serve buckets by path, not by virtual host.
  return new S3Client({ ...common(options), forcePathStyle: options.endpointUrl !== undefined });
}

export function cloudWatchClient(options: AwsOptions = {}): CloudWatchClient {
  return new CloudWatchClient(common(options));
}

/** Route 53 is global; its API lives in us-east-1 whatever region the caller is in. */
export function route53Client(options: AwsOptions = {}): Route53Client {
  return new Route53Client({ ...common(options), region: 'us-east-1' });
}

export function backupClient(options: AwsOptions = {}): BackupClient {
  return new BackupClient(common(options));
}

export function ssmClient(options: AwsOptions = {}): SSMClient {
  return new SSMClient(common(options));
}

export function apiGatewayClient(options: AwsOptions = {}): APIGatewayClient {
  return new APIGatewayClient(common(options));
}

export function acmClient(options: AwsOptions = {}): ACMClient {
  return new ACMClient(common(options));
}

export function snsClient(options: AwsOptions = {}): SNSClient {
  return new SNSClient(common(options));
}
