import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import { BackupJobPages } from '../../lib/data/backup-job-pages';

const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const TOPIC_ARN = arn(':sns:eu-west-1:111111111111:app-page-low');
const VAULT_ARN = arn(':backup:eu-west-1:111111111111:backup-vault:site-vault');

function synth(docsBaseUrl?: string) {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new BackupJobPages(stack, 'Pages', {
    vault: backup.BackupVault.fromBackupVaultName(stack, 'Vault', 'site-vault'),
    topicName: 'app-page-low',
    docsBaseUrl,
  });
  const template = Template.fromStack(stack);
  const rules = template.findResources('AWS::Events::Rule');
  const byType = (detailType: string) => {
    const found = Object.values(rules).filter(
      (r) => (r.Properties.EventPattern['detail-type'] as string[]).join() === detailType,
    );
    expect(found).toHaveLength(1);
    return found[0].Properties;
  };
  return { template, rules, backupRule: byType('Backup Job State Change'), copyRule: byType('Copy Job State Change') };
}

describe('BackupJobPages', () => {
  test('a failed, expired or aborted backup job of this vault matches, and nothing else', () => {
    const { rules, backupRule } = synth();
    expect(Object.keys(rules)).toHaveLength(2);
    expect(backupRule.EventPattern).toEqual({
      source: ['aws.backup'],
      'detail-type': ['Backup Job State Change'],
      detail: { state: ['FAILED', 'EXPIRED', 'ABORTED'], backupVaultName: ['site-vault'] },
    });
    expect(backupRule.State).toBe('ENABLED');
  });

  test('a failed copy job out of this vault matches (copy events carry no vault name, only ARNs)', () => {
    const { copyRule } = synth();
    expect(copyRule.EventPattern).toEqual({
      source: ['aws.backup'],
      'detail-type': ['Copy Job State Change'],
      detail: { state: ['FAILED'], sourceBackupVaultArn: [VAULT_ARN] },
    });
  });

  test('each rule says in its description what pages, for the operator reading the console', () => {
    const { backupRule, copyRule } = synth();
    expect(backupRule.Description).toBe(
      'Pages low urgency when a backup job of vault site-vault fails, expires or is aborted.',
    );
    expect(copyRule.Description).toBe('Pages low urgency when a copy job out of vault site-vault fails.');
  });

  test('both rules publish to the low-urgency topic of the region, by ARN', () => {
    const { backupRule, copyRule } = synth();
    for (const rule of [backupRule, copyRule]) {
      expect(rule.Targets).toHaveLength(1);
      expect(rule.Targets[0].Arn).toEqual(TOPIC_ARN);
      expect(rule.Targets[0].RoleArn).toBeUndefined();
    }
  });

  test('the backup job page names the job, state, vault, resource, reason and runbook', () => {
    const { backupRule } = synth();
    const t = backupRule.Targets[0].InputTransformer;
    expect(t.InputPathsMap).toEqual({
      'detail-backupJobId': '$.detail.backupJobId',
      'detail-state': '$.detail.state',
      'detail-backupVaultName': '$.detail.backupVaultName',
      region: '$.region',
      'detail-resourceArn': '$.detail.resourceArn',
      'detail-statusMessage': '$.detail.statusMessage',
    });
    expect(t.InputTemplate).toBe(
      '"AWS Backup job <detail-backupJobId> is <detail-state> in vault <detail-backupVaultName> (<region>) for <detail-resourceArn>: <detail-statusMessage>. Runbook: docs/runbooks/backup-restore-test.md"',
    );
  });

  test('the copy job page names the job, state, both vaults, resource, reason and runbook link', () => {
    const { copyRule } = synth('https://docs.example.org/dr/');
    const t = copyRule.Targets[0].InputTransformer;
    expect(t.InputTemplate).toBe(
      '"AWS Backup copy job <detail-copyJobId> is <detail-state> from vault <detail-sourceBackupVaultArn> to <detail-destinationBackupVaultArn> for <detail-resourceArn>: <detail-statusMessage>. Runbook: https://docs.example.org/dr/docs/runbooks/backup-restore-test.md"',
    );
    expect(Object.keys(t.InputPathsMap)).toEqual([
      'detail-copyJobId',
      'detail-state',
      'detail-sourceBackupVaultArn',
      'detail-destinationBackupVaultArn',
      'detail-resourceArn',
      'detail-statusMessage',
    ]);
  });
});
