import { DefaultStackSynthesizer, Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REPLICATION_RULE_ID } from '../../lambda/contract/replication';
import { markSiteContent } from '../posture/site-content';
import { acknowledge, skipCheckov, wildcardResourceFinding } from '../shared/nag-acknowledgements';
import { SECURE_BUCKET_DEFAULTS } from '../shared/secure-bucket';

/**
 * What the site buckets deny to every principal but the break-glass role and CloudFormation's
 * execution role: destroying history (deleting a version), shortening it (lifecycle), stopping it
 * (versioning), stopping the copy in the other region (replication), and lifting this very deny
 * (bucket policy). See docs/adr/0007-immutable-recovery.md.
 */
export const PROTECTED_BUCKET_ACTIONS = [
  's3:DeleteObjectVersion',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutReplicationConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
] as const;

export interface SiteBucketProps {
  /** Days a replaced or deleted version is kept. This bounds how far back a restore can go. */
  readonly versionRetentionDays: number;
  /**
   * Bucket in the other region that receives every write, with Replication Time Control.
   * @default - no replication (this bucket is itself the replica)
   */
  readonly replicateTo?: s3.IBucket;
  /**
   * The bucket's name. Derived from the app, account and region (see Names.siteBucket), so stacks
   * in other regions can name it without cross-region references.
   */
  readonly bucketName: string;
  /**
   * Name of the role that may still delete versions and change lifecycle, versioning, replication
   * and the bucket policy. The account creates it; this construct only names it.
   */
  readonly breakGlassRoleName: string;
}

/**
 * A versioned bucket holding the site's releases, with access logging to a bucket of its own.
 * With `replicateTo`, every write and delete marker is replicated with Replication Time Control
 * (99.99% of objects within 15 minutes) and replication metrics.
 *
 * Its policy denies PROTECTED_BUCKET_ACTIONS to every principal except the break-glass role and
 * the CDK bootstrap's CloudFormation execution role, which sets lifecycle, versioning, replication
 * and the policy itself on deploy.
 */
export class SiteBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  /** The role S3 replicates with; only with `replicateTo`. */
  readonly replicationRole?: iam.Role;

  constructor(scope: Construct, id: string, props: SiteBucketProps) {
    super(scope, id);
    const days = props.versionRetentionDays;
    // S3's NoncurrentDays is a whole number of days, at least 1.
    if (!Token.isUnresolved(days) && !(Number.isInteger(days) && days >= 1)) {
      throw new Error(
        `SiteBucket ${this.node.path}: versionRetentionDays must be a whole number of days, 1 or more, got ${days}`,
      );
    }

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...SECURE_BUCKET_DEFAULTS,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    });
    skipCheckov(
      this.accessLogs,
      ['CKV_AWS_18', 'CKV_AWS_21'],
      'The access-log bucket itself: logging its own access would need a third bucket (or log into itself, a loop), and S3 writes each log object once under a unique key and never overwrites it, so versioning would only keep expired logs.',
    );

    const replicationRules: s3.ReplicationRule[] = props.replicateTo
      ? [
          {
            id: REPLICATION_RULE_ID,
            priority: 0,
            destination: props.replicateTo,
            replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
            metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
            deleteMarkerReplication: true,
          },
        ]
      : [];

    // The replication role is built here and given to the Bucket (`replicationRole`), so this
    // construct holds it instead of looking up the child the Bucket would otherwise create.
    this.replicationRole = props.replicateTo
      ? new iam.Role(this, 'ReplicationRole', {
          assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
          description: 'S3 replication of the site bucket into the replica bucket of the other region.',
        })
      : undefined;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...SECURE_BUCKET_DEFAULTS,
      bucketName: props.bucketName,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'site-bucket/',
      lifecycleRules: [
        {
          id: 'bound-version-history',
          noncurrentVersionExpiration: Duration.days(props.versionRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      replicationRules: replicationRules.length > 0 ? replicationRules : undefined,
      replicationRole: this.replicationRole,
    });
    // AWS Backup for S3 turns EventBridge notifications on; declaring it avoids drift. Set on the
    // L1 resource: the L2 `eventBridgeEnabled` would add a notifications custom-resource Lambda.
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    markSiteContent(cfnBucket);

    const stack = Stack.of(this);
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyHistoryChangesExceptBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [...PROTECTED_BUCKET_ACTIONS],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        // aws:PrincipalArn is the role ARN for any session of that role (not the session ARN).
        // A request without the key (an AWS service acting without a role) is denied too.
        conditions: {
          ArnNotLike: {
            'aws:PrincipalArn': [
              stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: props.breakGlassRoleName }),
              cloudFormationExecutionRoleArn(stack),
            ],
          },
        },
      }),
    );

    if (props.replicateTo && this.replicationRole) {
      const role = this.replicationRole;
      // A Bucket given its replication role grants it nothing: these are the grants it makes to
      // the role it creates itself (read versions here, replicate to the destination).
      this.bucket.grantReplicationPermission(role, { destinations: [{ bucket: props.replicateTo }] });
      acknowledge(
        role,
        [
          wildcardResourceFinding(role, this.bucket.arnForObjects('*')),
          wildcardResourceFinding(role, props.replicateTo.arnForObjects('*')),
        ],
        'S3 replication reads every object version of the source bucket and writes replicas to every key of the replica bucket; the wildcards cover object keys of these two buckets only.',
      );
    }
  }
}

/**
 * The CDK bootstrap's CloudFormation execution role of this stack's environment,
 * `cdk-<qualifier>-cfn-exec-role-<account>-<region>`: CloudFormation acts with it on every deploy.
 */
export function cloudFormationExecutionRoleArn(stack: Stack): string {
  const qualifier =
    (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `cdk-${qualifier}-cfn-exec-role-${stack.account}-${stack.region}`,
  });
}
