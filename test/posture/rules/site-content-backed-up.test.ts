import { App, Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { ACCOUNT, continuousRuleCopyingTo, siteBucket, stack, violations } from './fixtures';

// DR-SiteContentBackedUp beyond test/posture/dr-rules.test.ts: selections by tag, plans whose rules
// split continuous backup and the cross-region copy between them.

function app(build: (plan: backup.BackupPlan, copy: backup.IBackupVault) => void) {
  const a = new App();
  const s = stack(a, 'S', 'us-east-1');
  const bucket = siteBucket(s, 'B');
  const plan = new backup.BackupPlan(s, 'Plan');
  const copy = backup.BackupVault.fromBackupVaultArn(s, 'Copy', `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:v`);
  build(plan, copy);
  plan.addSelection('ByArn', { resources: [backup.BackupResource.fromArn(bucket.bucketArn)] });
  return a;
}

describe('DR-SiteContentBackedUp, rules and selections', () => {
  test('non-compliant: one rule backs up continuously, another copies to another region (no recovery point is both)', () => {
    const a = app((plan, copy) => {
      plan.addRule(
        new backup.BackupPlanRule({ ruleName: 'pitr', enableContinuousBackup: true, deleteAfter: Duration.days(35) }),
      );
      plan.addRule(
        new backup.BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: Duration.days(35),
          copyActions: [{ destinationBackupVault: copy, deleteAfter: Duration.days(35) }],
        }),
      );
    });
    expect(violations(a, 'SiteContentBackedUp')).toEqual(['S/B/Resource']);
  });

  test('compliant: the second rule of the plan meets the bar', () => {
    const a = app((plan, copy) => {
      plan.addRule(
        new backup.BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: Duration.days(7),
        }),
      );
      plan.addRule(
        new backup.BackupPlanRule({
          ruleName: 'pitr',
          enableContinuousBackup: true,
          deleteAfter: Duration.days(35),
          copyActions: [{ destinationBackupVault: copy, deleteAfter: Duration.days(35) }],
        }),
      );
    });
    expect(violations(a, 'SiteContentBackedUp')).toEqual([]);
  });

  test('a selection by tag (no resource list) selects no bucket by name: the bucket it does not list is flagged', () => {
    const a = new App();
    const s = stack(a, 'S', 'us-east-1');
    siteBucket(s, 'B');
    const plan = new backup.BackupPlan(s, 'Plan');
    plan.addRule(continuousRuleCopyingTo(s, 'Copy', `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:v`));
    plan.addSelection('ByTag', { resources: [backup.BackupResource.fromTag('backup', 'yes')] });
    expect(violations(a, 'SiteContentBackedUp')).toEqual(['S/B/Resource']);
  });
});
