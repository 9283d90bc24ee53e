import type { CfnResource } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { isSiteContent } from '../site-content';
import { resolved } from './support';

/** A bucket holding site content is versioned: history is what restores and replication work from. */
export function SiteContentVersioned(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof s3.CfnBucket) || !isSiteContent(node)) return NagRuleCompliance.NOT_APPLICABLE;
  return resolved(node, node.versioningConfiguration)?.status === 'Enabled'
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
