import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONTINUOUS_BACKUP_DAYS } from '../config';
import {
  acknowledge,
  managedPolicyFinding,
  skipCheckov,
  wildcardResourceFinding,
} from '../shared/nag-acknowledgements';

export interface ContinuousBackupProps {
  /** The bucket to protect; it must be versioned. */
  readonly bucket: s3.IBucket;
  /** Name of this region's vault. The same name is used in the other region. */
  readonly vaultName: string;
  /** Region of the vault that receives a copy of every recovery point. */
  readonly copyToRegion: string;
  /**
   * Name of a logically air-gapped vault, in this region, that also receives a copy of every
   * recovery point (docs/adr/0007-immutable-recovery.md). 2 to 50 letters, digits, hyphens and
   * underscores (AIR_GAPPED_VAULT_NAME, AWS Backup's pattern for CreateLogicallyAirGappedBackupVault).
   * @default - no air-gapped copy
   */
  readonly airGappedVaultName?: string;
}

/**
 * Names AWS Backup accepts for a logically air-gapped vault: `backupVaultName` of
 * CreateLogicallyAirGappedBackupVault, pattern `^[a-zA-Z0-9\-\_]{2,50}$` (AWS Backup API
 * reference). Narrower than a standard vault's name (no dots, at most 50).
 */
export const AIR_GAPPED_VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;

/**
 * Managed policies AWS Backup needs to back up and restore S3 buckets, and nothing else: the
 * generic AWSBackupServiceRolePolicyForBackup/ForRestores cover EC2, RDS, DynamoDB, FSx and more.
 */
const BACKUP_MANAGED_POLICIES = ['AWSBackupServiceRolePolicyForS3Backup', 'AWSBackupServiceRolePolicyForS3Restore'];

/**
 * Vault Lock, compliance mode (docs/adr/0007-immutable-recovery.md). The minimum retention is the
 * continuous-backup window: a continuous recovery point is kept at most 35 days, and a vault fails
 * every backup or copy job whose retention is below its minimum, so it cannot be more.
 */
export const VAULT_LOCK = {
  minRetention: Duration.days(CONTINUOUS_BACKUP_DAYS),
  /** Caps what a plan (or an attacker who edits it) can lock in the vault, and so its cost. */
  maxRetention: Duration.days(365),
  /**
   * Days after the deploy during which the lock can still be changed or removed (AWS requires at
   * least 3: a 72-hour cooling-off). After that, nobody can, not even the account's root user.
   */
  changeableFor: Duration.days(7),
} as const;

/**
 * AWS Backup for the site bucket: continuous backup (point-in-time restore for 35 days) in a
 * vault of this region, and a daily copy (05:00 UTC) into the vault of the same name in the other
 * region. Both vaults are locked in compliance mode; with `airGappedVaultName` each recovery point
 * is also copied into a logically air-gapped vault.
 */
export class ContinuousBackup extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  /** The role AWS Backup assumes for backups and restores of the site bucket. */
  readonly role: iam.Role;
  readonly airGappedVault?: backup.CfnLogicallyAirGappedBackupVault;

  constructor(scope: Construct, id: string, props: ContinuousBackupProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: { ...VAULT_LOCK },
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
    const copyActions: backup.BackupPlanCopyActionProps[] = [
      { destinationBackupVault: copyVault, deleteAfter: Duration.days(CONTINUOUS_BACKUP_DAYS) },
    ];

    const airGappedName = props.airGappedVaultName;
    if (
      airGappedName !== undefined &&
      !Token.isUnresolved(airGappedName) &&
      !AIR_GAPPED_VAULT_NAME.test(airGappedName)
    ) {
      throw new Error(
        `ContinuousBackup ${this.node.path}: airGappedVaultName must be 2 to 50 letters, digits, hyphens or underscores, got "${airGappedName}"`,
      );
    }

    if (props.airGappedVaultName) {
      // Always compliance-locked by AWS; its recovery points live in an AWS-owned account.
      // Continuous backups are copied as snapshots (the only copy AWS Backup makes of them).
      this.airGappedVault = new backup.CfnLogicallyAirGappedBackupVault(this, 'AirGappedVault', {
        backupVaultName: props.airGappedVaultName,
        minRetentionDays: VAULT_LOCK.minRetention.toDays(),
        maxRetentionDays: VAULT_LOCK.maxRetention.toDays(),
      });
      this.airGappedVault.applyRemovalPolicy(RemovalPolicy.RETAIN);
      copyActions.push({
        destinationBackupVault: backup.BackupVault.fromBackupVaultArn(
          this,
          'AirGappedCopyVault',
          this.airGappedVault.attrBackupVaultArn,
        ),
        deleteAfter: Duration.days(CONTINUOUS_BACKUP_DAYS),
      });
    }

    this.plan = new backup.BackupPlan(this, 'Plan', { backupVault: this.vault });
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'continuous-with-cross-region-copy',
        enableContinuousBackup: true,
        // Explicit, so the posture check can read the cross-region copy cadence: daily, 05:00 UTC.
        scheduleExpression: events.Schedule.cron({ minute: '0', hour: '5' }),
        deleteAfter: Duration.days(CONTINUOUS_BACKUP_DAYS),
        copyActions,
      }),
    );

    const role = (this.role = new iam.Role(this, 'Role', {
      // No aws:SourceAccount condition: AWS Backup documents that key for vault and key policies,
      // not for the service role's trust, and if the service does not send it on AssumeRole every
      // backup and copy job fails, which no offline test can show. Only a caller of this account
      // with iam:PassRole can hand the role to AWS Backup (PassRole does not cross accounts).
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: BACKUP_MANAGED_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    }));
    // Copy jobs run as the selection's role. These three actions are what the generic
    // AWSBackupServiceRolePolicyForBackup grants for copies (on every vault and recovery point of
    // every account); here only from this region's recovery points into the copy vaults.
    const destinations = [
      copyVault.backupVaultArn,
      ...(this.airGappedVault ? [this.airGappedVault.attrBackupVaultArn] : []),
    ];
    const recoveryPoints = stack.formatArn({
      service: 'backup',
      resource: 'recovery-point',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['backup:DescribeBackupVault', 'backup:CopyIntoBackupVault'],
        resources: destinations,
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['backup:CopyFromBackupVault'], resources: [recoveryPoints] }));
    acknowledge(
      role,
      BACKUP_MANAGED_POLICIES.map(managedPolicyFinding),
      'AWS Backup documents these AWS-managed policies as the permissions its service role needs for S3 backups and restores; AWS keeps them in step with the service, which a hand-written copy would not be.',
    );
    acknowledge(
      role,
      [wildcardResourceFinding(role, recoveryPoints)],
      "Copy jobs copy recovery points whose ids AWS Backup assigns at backup time: the grant covers this account's recovery points in this region only.",
    );

    this.plan.addSelection('SiteBucket', {
      resources: [backup.BackupResource.fromArn(props.bucket.bucketArn)],
      role,
      // Otherwise aws-cdk-lib attaches the generic AWSBackupServiceRolePolicyForBackup again.
      disableDefaultBackupPolicy: true,
    });
  }
}
