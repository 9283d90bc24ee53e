import type { CfnResource } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { NagRuleCompliance } from 'cdk-nag';
import { resolved } from './support';

/** An alias record evaluates its target's health, so Route 53 never answers with a dead target. */
export function AliasEvaluatesTargetHealth(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof route53.CfnRecordSet) || !node.aliasTarget) return NagRuleCompliance.NOT_APPLICABLE;
  return resolved(node, node.aliasTarget).evaluateTargetHealth === true
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
