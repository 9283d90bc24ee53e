import { ArnFormat, Stack } from 'aws-cdk-lib';
import type * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { runbookReference } from '../shared/runbooks';

/**
 * Backup job states that page. AWS Backup's BackupJobState is CREATED | PENDING | RUNNING |
 * ABORTING | ABORTED | COMPLETED | FAILED | EXPIRED | PARTIAL (PARTIAL only for composite jobs,
 * which this app does not run); EXPIRED is a job that did not start within its start window.
 */
export const PAGED_BACKUP_JOB_STATES = ['FAILED', 'EXPIRED', 'ABORTED'] as const;
/** Copy job states that page. AWS Backup's CopyJobState is CREATED | RUNNING | COMPLETED | FAILED | PARTIAL. */
export const PAGED_COPY_JOB_STATES = ['FAILED'] as const;

export interface BackupJobPagesProps {
  /** The vault of this region: its backup jobs, and the copy jobs out of it, page. */
  readonly vault: backup.IBackupVault;
  /** Name of the low-urgency paging topic of this region (`Names.pagingTopic('low')`); reached by ARN. */
  readonly topicName: string;
  /**
   * Where the runbook links point (`paging.docsBaseUrl` of the config).
   * @default - the runbook's path in the repository
   */
  readonly docsBaseUrl?: string;
}

/**
 * Pages LOW urgency when an AWS Backup job of this region's vault fails, expires or is aborted, or
 * when a copy job out of it (to the other region's vault or the air-gapped vault) fails: a backup
 * that silently stops turns the promised RPO into however long nobody looks.
 *
 * AWS Backup emits "Backup Job State Change" and "Copy Job State Change" (source aws.backup) to the
 * default bus of the job's region, best effort, every 5 minutes
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html,
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-backup.html). A backup job event
 * carries `detail.backupVaultName`; a copy job event carries no vault name, only
 * `detail.sourceBackupVaultArn` and `destinationBackupVaultArn` (the fields of the CopyJob API
 * type), so the two get a rule each, each with its own readable message. EventBridge rules on AWS
 * service events cost nothing. The topic must admit events.amazonaws.com without a Condition
 * (PagingTopic `admitEventBridge`, on for the low topic; DR rule TopicsAdmitTheirPublishers).
 */
export class BackupJobPages extends Construct {
  readonly backupJobRule: events.Rule;
  readonly copyJobRule: events.Rule;

  constructor(scope: Construct, id: string, props: BackupJobPagesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const topic = sns.Topic.fromTopicArn(
      this,
      'LowTopic',
      stack.formatArn({ service: 'sns', resource: props.topicName, arnFormat: ArnFormat.NO_RESOURCE_NAME }),
    );
    const runbook = runbookReference('backup-restore-test', props.docsBaseUrl);
    const field = (path: string) => events.EventField.fromPath(path);

    this.backupJobRule = new events.Rule(this, 'BackupJobFailed', {
      description: `Pages low urgency when a backup job of vault ${props.vault.backupVaultName} fails, expires or is aborted.`,
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change'],
        detail: {
          state: [...PAGED_BACKUP_JOB_STATES],
          backupVaultName: [props.vault.backupVaultName],
        },
      },
      targets: [
        new targets.SnsTopic(topic, {
          message: events.RuleTargetInput.fromText(
            `AWS Backup job ${field('$.detail.backupJobId')} is ${field('$.detail.state')} in vault ` +
              `${field('$.detail.backupVaultName')} (${field('$.region')}) for ${field('$.detail.resourceArn')}: ` +
              `${field('$.detail.statusMessage')}. ${runbook}`,
          ),
        }),
      ],
    });

    this.copyJobRule = new events.Rule(this, 'CopyJobFailed', {
      description: `Pages low urgency when a copy job out of vault ${props.vault.backupVaultName} fails.`,
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Copy Job State Change'],
        detail: {
          state: [...PAGED_COPY_JOB_STATES],
          sourceBackupVaultArn: [props.vault.backupVaultArn],
        },
      },
      targets: [
        new targets.SnsTopic(topic, {
          message: events.RuleTargetInput.fromText(
            `AWS Backup copy job ${field('$.detail.copyJobId')} is ${field('$.detail.state')} from vault ` +
              `${field('$.detail.sourceBackupVaultArn')} to ${field('$.detail.destinationBackupVaultArn')} ` +
              `for ${field('$.detail.resourceArn')}: ${field('$.detail.statusMessage')}. ${runbook}`,
          ),
        }),
      ],
    });
  }
}
