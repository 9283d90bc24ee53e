import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Settings every bucket of this app gets: SSE-S3 encryption, TLS 1.2+ only, all public access
 * blocked, ACLs disabled, and RETAIN so that deleting a stack never deletes content.
 * Callers layer their own settings on top.
 */
export const SECURE_BUCKET_DEFAULTS = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies s3.BucketProps;
