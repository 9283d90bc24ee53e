import * as path from 'node:path';
import { DefaultStackSynthesizer, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, CHECKOV_REASONS, skipCheckov, wildcardResourceFinding } from '../shared/nag-acknowledgements';
import { BOOTSTRAP_RELEASE, HEALTH_FILE, RELEASES_PREFIX } from '../../lambda/contract/site';

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
  /** The deployment handler's role: read the asset, list and add files under the release prefix. */
  readonly role: iam.Role;
  /** The deployment handler's log group (one year), the only one its role may write to. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BootstrapReleaseProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = `${RELEASES_PREFIX}${BOOTSTRAP_RELEASE}/`;
    const assetBucket = `arn:${stack.partition}:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${stack.account}-${stack.region}`;
    const releaseObjects = props.bucket.arnForObjects(`${prefix}*`);

    // BucketDeployment grants its handler read-write on the whole destination bucket, deletes
    // included, whatever `prune` says. With prune off the handler only runs `aws s3 cp` from the
    // asset bucket and `aws s3 sync` (no --delete) to the destination: it lists, and puts. So the
    // handler gets this role, passed without policy updates (the construct's grants are dropped),
    // and holding exactly those permissions.
    this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Publishes the bootstrap release: read the CDK asset, list and add files; no delete.',
    });
    // The handler writes to this log group only, as PlaybookFunction's do: logs:CreateLogStream and
    // logs:PutLogEvents on it, instead of AWSLambdaBasicExecutionRole (which also allows
    // logs:CreateLogGroup on every log group of the account). BucketDeployment passes `logGroup`
    // to its handler's LoggingConfig. The handler is a stack singleton (SingletonFunction): the
    // first BucketDeployment of the stack sets its role and log group, and this is the only one.
    this.logGroup = new logs.LogGroup(this, 'HandlerLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup.grantWrite(this.role);
    skipCheckov(this.logGroup, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${assetBucket}/*`] }));
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn] }));
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [releaseObjects] }),
    );

    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(SITE_DIR), s3deploy.Source.data(HEALTH_FILE, props.healthBody)],
      destinationBucket: props.bucket,
      destinationKeyPrefix: prefix,
      prune: false,
      retainOnDelete: true,
      role: this.role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
    });

    acknowledge(
      this.role,
      [wildcardResourceFinding(this.role, releaseObjects), wildcardResourceFinding(this.role, `${assetBucket}/*`)],
      'Role of the bootstrap-release deployment handler: it reads the site asset (whose key is a content hash) from the CDK asset bucket and adds files under releases/bootstrap/ of the site bucket; it can delete nothing. It writes logs to its own log group only.',
    );
    const { handler, handlerResource } = deploymentHandler(this.deployment);
    skipCheckov(
      handler,
      ['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117', 'CKV_AWS_173'],
      CHECKOV_REASONS.cdkProviderFunction,
    );
    acknowledge(
      handlerResource,
      ['AwsSolutions-L1'],
      'The BucketDeployment handler runtime is pinned by aws-cdk-lib (it ships the AWS CLI layer built for it); it runs only during deploys.',
    );
  }
}

/**
 * The Lambda function behind a BucketDeployment, to skip checkov checks and acknowledge a finding on
 * it. aws-cdk-lib 2.276 offers no accessor for it (only `handlerRole`, the role this construct
 * passes in), so this lookup by construct id stays, kept in one place with a clear error: the
 * deployment's child "CustomResourceHandler" is a SingletonFunction, whose `permissionsNode` is the
 * node of the stack-level function it stands for, and whose default child is the CfnFunction.
 */
function deploymentHandler(deployment: s3deploy.BucketDeployment): {
  handler: lambda.Function;
  handlerResource: lambda.CfnFunction;
} {
  const singleton = deployment.node.tryFindChild('CustomResourceHandler');
  const handlerResource = (singleton as lambda.SingletonFunction | undefined)?.permissionsNode?.defaultChild;
  if (!handlerResource || !(handlerResource instanceof lambda.CfnFunction)) {
    throw new Error(
      `${deployment.node.path}: no CustomResourceHandler SingletonFunction with a CfnFunction; aws-cdk-lib's ` +
        'BucketDeployment changed its internals: update deploymentHandler in lib/hosting/bootstrap-release.ts',
    );
  }
  return { handler: handlerResource.node.scope as lambda.Function, handlerResource };
}
