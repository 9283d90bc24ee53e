import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { CONTINUOUS_BACKUP_DAYS } from '../../config';
import { isSiteContent } from '../site-content';
import { allResources, arnRegion, arnResource, logicalId, referencedLogicalId, resolved } from './support';

/** Where one backup plan puts recovery points: its rules' target vaults and copy destinations. */
interface Target {
  readonly stack: Stack;
  /** A vault name (`TargetBackupVault`) or ARN (`DestinationBackupVaultArn`), as resolved. */
  readonly value: unknown;
}

/** Targets of every backup plan that selects a bucket holding site content. */
function siteContentTargets(node: CfnResource): Target[] {
  const resources = allResources(node);
  const siteBuckets = new Set(
    resources
      .filter((r) => r instanceof s3.CfnBucket && isSiteContent(r))
      .map((b) => `${Stack.of(b).stackName}/${logicalId(b)}`),
  );
  const planKeys = new Set(
    resources
      .filter((r): r is backup.CfnBackupSelection => r instanceof backup.CfnBackupSelection)
      .filter((sel) =>
        (resolved(sel, sel.backupSelection).resources ?? []).some((res: unknown) =>
          siteBuckets.has(`${Stack.of(sel).stackName}/${referencedLogicalId(res)}`),
        ),
      )
      .map((sel) => `${Stack.of(sel).stackName}/${referencedLogicalId(resolved(sel, sel.backupPlanId))}`),
  );
  return resources
    .filter((r): r is backup.CfnBackupPlan => r instanceof backup.CfnBackupPlan)
    .filter((plan) => planKeys.has(`${Stack.of(plan).stackName}/${logicalId(plan)}`))
    .flatMap((plan) =>
      (resolved(plan, plan.backupPlan).backupPlanRule ?? []).flatMap((rule: any) => [
        { stack: Stack.of(plan), value: rule.targetBackupVault },
        ...(rule.copyActions ?? []).map((copy: any) => ({
          stack: Stack.of(plan),
          value: copy.destinationBackupVaultArn,
        })),
      ]),
    );
}

/** Whether a plan's target names this vault: by reference in its stack, by name, or by ARN. */
function targets(target: Target, vault: CfnResource, name: unknown): boolean {
  const vaultStack = Stack.of(vault);
  if (referencedLogicalId(target.value) !== undefined) {
    return target.stack === vaultStack && referencedLogicalId(target.value) === logicalId(vault);
  }
  if (typeof name !== 'string') return false;
  if (target.value === name) return target.stack.region === vaultStack.region;
  return arnRegion(target.value) === vaultStack.region && arnResource(target.value) === `backup-vault:${name}`;
}

/**
 * Every backup vault that holds recovery points of site content (the target of a plan that
 * selects a site-content bucket, or a destination of its copies) is locked in compliance mode
 * with a minimum retention of at least the continuous-backup window, so that no one, the deploy
 * role included, can delete those recovery points or shorten their retention. Logically
 * air-gapped vaults are always compliance-locked; their minimum retention is checked the same way.
 */
export function SiteContentRecoveryPointsLocked(node: CfnResource): NagRuleCompliance {
  const isVault = node instanceof backup.CfnBackupVault;
  const isAirGapped = node instanceof backup.CfnLogicallyAirGappedBackupVault;
  if (!isVault && !isAirGapped) return NagRuleCompliance.NOT_APPLICABLE;
  const name = resolved(node, node.backupVaultName);
  if (!siteContentTargets(node).some((t) => targets(t, node, name))) return NagRuleCompliance.NOT_APPLICABLE;

  const lock = isVault ? resolved(node, node.lockConfiguration) : undefined;
  const minRetentionDays = isVault ? lock?.minRetentionDays : resolved(node, node.minRetentionDays);
  // Without ChangeableForDays a vault lock is in governance mode: anyone allowed
  // backup:DeleteBackupVaultLockConfiguration (the deploy role) can remove it.
  const complianceMode = isAirGapped || lock?.changeableForDays !== undefined;
  const locked = complianceMode && typeof minRetentionDays === 'number' && minRetentionDays >= CONTINUOUS_BACKUP_DAYS;
  return locked ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
