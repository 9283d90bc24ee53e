import type { CfnResource } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { NagRuleCompliance } from 'cdk-nag';
import { allResources, resolved } from './support';

function key(node: route53.CfnRecordSet): string {
  return JSON.stringify([resolved(node, node.hostedZoneId), resolved(node, node.name), resolved(node, node.type)]);
}

/**
 * A failover PRIMARY record has a health check (without one Route 53 never fails over), and a
 * SECONDARY record exists for the same zone, name and type; a SECONDARY has its PRIMARY.
 */
export function FailoverRecordsPaired(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof route53.CfnRecordSet) || !node.failover) return NagRuleCompliance.NOT_APPLICABLE;
  const failover = resolved(node, node.failover);
  const partner = failover === 'PRIMARY' ? 'SECONDARY' : 'PRIMARY';
  const hasPartner = allResources(node).some(
    (r) => r instanceof route53.CfnRecordSet && resolved(r, r.failover) === partner && key(r) === key(node),
  );
  if (!hasPartner) return NagRuleCompliance.NON_COMPLIANT;
  if (failover === 'PRIMARY' && !node.healthCheckId) return NagRuleCompliance.NON_COMPLIANT;
  return NagRuleCompliance.COMPLIANT;
}
