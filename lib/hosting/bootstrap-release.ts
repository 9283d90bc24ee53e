import * as path from 'node:path';
import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import {
  acknowledge,
  CHECKOV_REASONS,
  managedPolicyFinding,
  skipCheckov,
  wildcardActionFinding,
  wildcardResourceFinding,
} from '../shared/nag-acknowledgements';
import { BOOTSTRAP_RELEASE, RELEASES_PREFIX } from '../shared/naming';

/** The sample site shipped in the repo. */
export const SITE_DIR = path.join(__dirname, '..', '..', 'site');

export interface BootstrapReleaseProps {
  /** The primary site bucket; replication carries the release to the standby. */
  readonly bucket: s3.IBucket;
  /** Body of `healthz`: it must contain the string the Route 53 health checks search for. */
  readonly healthBody: string;
}

/**
 * Publishes `site/` as the first release, `releases/bootstrap/`, plus its `healthz` file.
 * Files are added as new versions and never pruned, so a deploy cannot destroy history.
 */
export class BootstrapRelease extends Construct {
  readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: BootstrapReleaseProps) {
    super(scope, id);
    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(SITE_DIR), s3deploy.Source.data('healthz', props.healthBody)],
      destinationBucket: props.bucket,
      destinationKeyPrefix: `${RELEASES_PREFIX}${BOOTSTRAP_RELEASE}/`,
      prune: false,
      retainOnDelete: true,
    });

    const role = this.deployment.handlerRole;
    const stack = Stack.of(this);
    const assetBucket = `arn:aws:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${stack.account}-${stack.region}`;
    acknowledge(
      role,
      [
        managedPolicyFinding('service-role/AWSLambdaBasicExecutionRole'),
        ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(wildcardActionFinding),
        wildcardResourceFinding(role, props.bucket.arnForObjects('*')),
        wildcardResourceFinding(role, `${assetBucket}/*`),
      ],
      'Role of the CDK BucketDeployment handler, written by aws-cdk-lib: it copies the site asset from the CDK asset bucket into the site bucket; its grants are limited to those two buckets.',
    );
    // The handler is aws-cdk-lib's singleton function; the role is its child.
    const handler = role.node.scope as lambda.Function;
    skipCheckov(
      handler,
      ['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117', 'CKV_AWS_173'],
      CHECKOV_REASONS.cdkProviderFunction,
    );
    skipCheckov(handler.logGroup, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);
    acknowledge(
      handler,
      ['AwsSolutions-L1'],
      'The BucketDeployment handler runtime is pinned by aws-cdk-lib (it ships the AWS CLI layer built for it); it runs only during deploys.',
    );
  }
}

/** The `healthz` body of a release: the health checks' search string, then the release id. */
export function healthBody(searchString: string, release: string): string {
  return `${searchString} release=${release}\n`;
}
