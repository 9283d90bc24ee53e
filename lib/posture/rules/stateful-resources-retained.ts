import { CfnDeletionPolicy, type CfnResource, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';

/**
 * Buckets and backup vaults survive their stack: RETAIN on delete and on replacement, in a
 * termination-protected stack.
 */
export function StatefulResourcesRetained(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof s3.CfnBucket) && !(node instanceof backup.CfnBackupVault))
    return NagRuleCompliance.NOT_APPLICABLE;
  const retained =
    node.cfnOptions.deletionPolicy === CfnDeletionPolicy.RETAIN &&
    node.cfnOptions.updateReplacePolicy === CfnDeletionPolicy.RETAIN;
  return retained && Stack.of(node).terminationProtection
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
