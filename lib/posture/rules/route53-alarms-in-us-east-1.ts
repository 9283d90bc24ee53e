import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { NagRuleCompliance } from 'cdk-nag';
import { resolved } from './support';

/** Route 53 publishes health-check metrics only in us-east-1: an alarm on them elsewhere never fires. */
export function Route53AlarmsInUsEast1(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof cloudwatch.CfnAlarm)) return NagRuleCompliance.NOT_APPLICABLE;
  // A metric-math alarm lists its metrics in Metrics: an entry is an expression or a MetricStat,
  // and a MetricStat always names its Metric (CloudFormation requires it).
  const namespaces = [
    resolved(node, node.namespace),
    // Stryker disable next-line ArrayDeclaration: an entry that is no metric adds no namespace, so it cannot be AWS/Route53
    ...(resolved<any[]>(node, node.metrics) ?? []).map((m) => m.metricStat?.metric.namespace),
  ];
  if (!namespaces.includes('AWS/Route53')) return NagRuleCompliance.NOT_APPLICABLE;
  return Stack.of(node).region === 'us-east-1' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
