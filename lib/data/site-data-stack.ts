import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { DrConfig } from '../config';
import type { AlarmPager } from '../shared/alarm-pager';
import { type RegionRole } from '../../lambda/contract/regions';
import { REPLICATION_RULE_ID } from '../../lambda/contract/replication';
import { BOOTSTRAP_RELEASE } from '../../lambda/contract/site';
import { Names } from '../shared/naming';
import { BackupJobPages } from './backup-job-pages';
import { ContinuousBackup } from './continuous-backup';
import { ReplicationAlarms } from './replication-alarms';
import { SiteBucket } from './site-bucket';

export interface SiteDataStackProps extends StackProps {
  /**
   * The validated deployment config (lib/config.ts, `loadConfig`): bucket, vault and alarm names
   * derive from it, with the version retention, the RPO the replication alarms watch and the
   * protection options (break-glass role, air-gapped copy).
   */
  readonly config: DrConfig;
  /** Pages through the paging topics of this stack's region (lib/paging/topic-pager.ts). */
  readonly pager: AlarmPager;
  /**
   * Which region of the pair this stack serves. The primary's bucket replicates into the standby's
   * (see `replicate`); each region's backups are copied into the vault of the other.
   */
  readonly role: RegionRole;
  /**
   * Whether this (primary) bucket replicates into the standby region's site bucket.
   * @default - true for the primary, false for the standby
   */
  readonly replicate?: boolean;
}

/**
 * The stateful half of one region: the site bucket and its history, backups, and the SSM
 * parameters that tell the hosting stack which bucket and release to serve. Every resource here
 * is RETAIN and the stack is termination-protected.
 */
export class SiteDataStack extends Stack {
  readonly siteBucket: s3.Bucket;
  readonly backup: ContinuousBackup;
  readonly backupJobPages: BackupJobPages;
  readonly replicationAlarms?: ReplicationAlarms;

  constructor(scope: Construct, id: string, props: SiteDataStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const { config, role } = props;
    const names = new Names(config);
    const replicate = props.replicate ?? role === 'primary';
    if (replicate && role !== 'primary') {
      throw new Error(`SiteDataStack ${id}: only the primary replicates; got replicate=true for role "${role}"`);
    }
    // The standby's bucket, by its deterministic name: no reference to the other region's stack.
    const replica = replicate
      ? s3.Bucket.fromBucketAttributes(this, 'Replica', {
          bucketName: names.siteBucket('standby'),
          region: names.regionOf('standby'),
        })
      : undefined;

    const site = new SiteBucket(this, 'Site', {
      versionRetentionDays: config.content.versionRetentionDays,
      replicateTo: replica,
      bucketName: names.siteBucket(role),
      breakGlassRoleName: names.breakGlassRole,
    });
    this.siteBucket = site.bucket;

    this.backup = new ContinuousBackup(this, 'Backup', {
      bucket: site.bucket,
      vaultName: names.backupVault,
      copyToRegion: names.regionOf(names.otherRole(role)),
      airGappedVaultName: config.protection?.airGappedCopy === true ? names.airGappedVault : undefined,
    });

    // A failed, expired or aborted backup job, or a failed copy job, pages low urgency through this
    // region's paging stack (the app makes this stack depend on it).
    this.backupJobPages = new BackupJobPages(this, 'BackupJobPages', {
      vault: this.backup.vault,
      topicName: names.pagingTopic('low'),
      docsBaseUrl: config.paging?.docsBaseUrl,
    });

    if (replica) {
      this.replicationAlarms = new ReplicationAlarms(this, 'ReplicationAlarms', {
        source: site.bucket,
        destination: replica,
        ruleId: REPLICATION_RULE_ID,
        rpo: Duration.minutes(config.objectives.rpoMinutes),
        pager: props.pager,
        names,
        docsBaseUrl: config.paging?.docsBaseUrl,
      });
    }

    new ssm.StringParameter(this, 'SiteBucketName', {
      parameterName: names.siteBucketParameter,
      stringValue: site.bucket.bucketName,
      description: 'Site bucket of this region; read by the hosting stack and the playbooks.',
    });
    // Written once here; afterwards the release playbooks own the value. The hosting stack reads it
    // at every deploy, so redeploying infrastructure never switches the live release back.
    new ssm.StringParameter(this, 'LiveRelease', {
      parameterName: names.liveReleaseParameter,
      stringValue: BOOTSTRAP_RELEASE,
      description: 'Id of the release this region serves (releases/<id>/ in the site bucket).',
    });

    new CfnOutput(this, 'SiteBucketNameOutput', { key: 'SiteBucketName', value: site.bucket.bucketName });
    new CfnOutput(this, 'BackupVaultNameOutput', { key: 'BackupVaultName', value: this.backup.vault.backupVaultName });
    // The backup restore test passes this role to AWS Backup restore jobs (docs/runbooks/backup-restore-test.md).
    new CfnOutput(this, 'BackupRoleArnOutput', { key: 'BackupRoleArn', value: this.backup.role.roleArn });
  }
}
