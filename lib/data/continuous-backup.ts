import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONTINUOUS_BACKUP_DAYS } from '../config';
import { acknowledge, managedPolicyFinding, skipCheckov } from '../shared/nag-acknowledgements';

export interface ContinuousBackupProps {
  /** The bucket to protect; it must be versioned. */
  readonly bucket: s3.IBucket;
  /** Name of this region's vault. The same name is used in the other region. */
  readonly vaultName: string;
  /** Region of the vault that receives a copy of every recovery point. */
  readonly copyToRegion: string;
}

/** Managed policies AWS Backup needs to back up and restore S3 buckets. */
const BACKUP_MANAGED_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
];

/**
 * AWS Backup for the site bucket: continuous backup (point-in-time restore for 35 days) in a
 * vault of this region, and a daily copy (05:00 UTC) into the vault of the same name in the other
 * region.
 */
export class ContinuousBackup extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  /** The role AWS Backup assumes for backups and restores of the site bucket. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ContinuousBackupProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(
      this.vault,
      ['CKV_AWS_166'],
      'Recovery points are encrypted with the AWS-managed aws/backup key and copied only within this account; a customer-managed key costs $1 a month per region, and anyone who could schedule its deletion could make every recovery point unreadable: one more way to lose the last copy. Revisit when copies go to another account, which needs a customer-managed key.',
    );

    const copyVault = backup.BackupVault.fromBackupVaultArn(
      this,
      'CopyVault',
      stack.formatArn({
        service: 'backup',
        region: props.copyToRegion,
        resource: 'backup-vault',
        resourceName: props.vaultName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );

    this.plan = new backup.BackupPlan(this, 'Plan', { backupVault: this.vault });
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'continuous-with-cross-region-copy',
        enableContinuousBackup: true,
        // Explicit, so the posture check can read the cross-region copy cadence: daily, 05:00 UTC.
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '5' }),
        deleteAfter: Duration.days(CONTINUOUS_BACKUP_DAYS),
        copyActions: [{ destinationBackupVault: copyVault, deleteAfter: Duration.days(CONTINUOUS_BACKUP_DAYS) }],
      }),
    );

    const role = (this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: BACKUP_MANAGED_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    }));
    acknowledge(
      role,
      BACKUP_MANAGED_POLICIES.map(managedPolicyFinding),
      'AWS Backup documents these AWS-managed policies as the permissions its service role needs for S3; AWS keeps them in step with the service, which a hand-written copy would not be.',
    );

    this.plan.addSelection('SiteBucket', {
      resources: [backup.BackupResource.fromArn(props.bucket.bucketArn)],
      role,
    });
  }
}
