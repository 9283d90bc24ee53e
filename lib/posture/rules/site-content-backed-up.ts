import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { isSiteContent } from '../site-content';
import { arnRegion, logicalId, referencedLogicalId, resolved } from './support';

/**
 * A bucket holding site content is selected by a backup plan of its stack whose rule takes
 * continuous backups (point-in-time restore) and copies each recovery point to a vault in
 * another region.
 */
export function SiteContentBackedUp(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof s3.CfnBucket) || !isSiteContent(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const stack = Stack.of(node);
  const bucketId = logicalId(node);
  const children = stack.node.findAll();

  const planIds = children
    .filter((c): c is backup.CfnBackupSelection => c instanceof backup.CfnBackupSelection)
    .filter((sel) => {
      const selection = resolved(sel, sel.backupSelection);
      return (selection.resources ?? []).some((r: unknown) => referencedLogicalId(r) === bucketId);
    })
    .map((sel) => referencedLogicalId(resolved(sel, sel.backupPlanId)));

  const covered = children
    .filter((c): c is backup.CfnBackupPlan => c instanceof backup.CfnBackupPlan && planIds.includes(logicalId(c)))
    .some((plan) =>
      (resolved(plan, plan.backupPlan).backupPlanRule ?? []).some(
        (rule: any) =>
          rule.enableContinuousBackup === true &&
          (rule.copyActions ?? []).some((copy: any) => {
            const region = arnRegion(copy.destinationBackupVaultArn);
            return region !== undefined && region !== stack.region;
          }),
      ),
    );
  return covered ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
