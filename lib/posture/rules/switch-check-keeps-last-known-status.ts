import type { CfnResource } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { NagRuleCompliance } from 'cdk-nag';
import { resolved } from './support';

/**
 * A health check that follows a CloudWatch alarm keeps its last known status when the alarm's data
 * stream goes quiet. The traffic switch writes one data point per flip; with `Healthy` for
 * insufficient data, a forced failover would undo itself. See docs/adr/0006-traffic-switch-holds.md.
 */
export function SwitchCheckKeepsLastKnownStatus(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof route53.CfnHealthCheck)) return NagRuleCompliance.NOT_APPLICABLE;
  const config = resolved<{ type?: string; insufficientDataHealthStatus?: string }>(node, node.healthCheckConfig);
  if (config.type !== 'CLOUDWATCH_METRIC') return NagRuleCompliance.NOT_APPLICABLE;
  return config.insufficientDataHealthStatus === 'LastKnownStatus'
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
