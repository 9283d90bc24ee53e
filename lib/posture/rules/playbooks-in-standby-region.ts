import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { NagRuleCompliance } from 'cdk-nag';
import { PLAYBOOK_METADATA } from '../../recovery/playbook-function';
import { allResources, resolved } from './support';

/** The playbooks an operator needs when the primary region is gone. */
export const PLAYBOOKS_NEEDED_IN_STANDBY = ['status', 'failover', 'failback', 'restore'] as const;

/**
 * The traffic switch's alarm-based health check names the standby region; the recovery playbooks
 * must be deployed there, so recovery can run from the region that survives.
 */
export function PlaybooksInStandbyRegion(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof route53.CfnHealthCheck)) return NagRuleCompliance.NOT_APPLICABLE;
  const config = resolved(node, node.healthCheckConfig);
  // HealthCheckConfig is required by CloudFormation; AlarmIdentifier may be missing from an L1 check.
  if (config.type !== 'CLOUDWATCH_METRIC') return NagRuleCompliance.NOT_APPLICABLE;
  const standby = config.alarmIdentifier?.region;
  const deployed = new Set(
    allResources(node)
      .filter((r): r is lambda.CfnFunction => r instanceof lambda.CfnFunction && Stack.of(r).region === standby)
      .map((f) => f.getMetadata(PLAYBOOK_METADATA)?.playbook),
  );
  return PLAYBOOKS_NEEDED_IN_STANDBY.every((p) => deployed.has(p))
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
