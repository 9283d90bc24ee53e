import type { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, type NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { AlarmsPageOneUrgency } from './rules/alarms-page-one-urgency';
import { AliasEvaluatesTargetHealth } from './rules/alias-evaluates-target-health';
import { FailoverRecordsPaired } from './rules/failover-records-paired';
import { FailoverRolesWithoutRoute53Write } from './rules/failover-roles-without-route53-write';
import { PlaybooksInStandbyRegion } from './rules/playbooks-in-standby-region';
import { Route53AlarmsInUsEast1 } from './rules/route53-alarms-in-us-east-1';
import { SiteContentBackedUp } from './rules/site-content-backed-up';
import { SiteContentHistoryProtected } from './rules/site-content-history-protected';
import { SiteContentRecoveryPointsLocked } from './rules/site-content-recovery-points-locked';
import { SiteContentReplicated } from './rules/site-content-replicated';
import { SiteContentVersioned } from './rules/site-content-versioned';
import { StatefulResourcesRetained } from './rules/stateful-resources-retained';
import { SwitchCheckKeepsLastKnownStatus } from './rules/switch-check-keeps-last-known-status';
import { TopicsAdmitTheirPublishers } from './rules/topics-admit-their-publishers';

interface DrRule {
  readonly rule: (node: CfnResource) => ReturnType<typeof SiteContentVersioned>;
  readonly info: string;
  readonly explanation: string;
}

/** The rules of the DR pack, in the order they are reported. Rule ids are `DR-<function name>`. */
export const DR_RULES: readonly DrRule[] = [
  {
    rule: SiteContentVersioned,
    info: 'The bucket holds site content but is not versioned.',
    explanation:
      'Point-in-time restore, replication and AWS Backup for S3 all need versioning; without it an overwrite is final.',
  },
  {
    rule: SiteContentReplicated,
    info: 'The site-content bucket does not replicate to a site-content bucket in another region with RTC, metrics and delete-marker replication (nor is it such a replica).',
    explanation:
      'Replication Time Control bounds the RPO of a regional loss at 15 minutes; metrics make lag visible; without delete-marker replication the standby serves content the primary deleted.',
  },
  {
    rule: SiteContentBackedUp,
    info: 'The site-content bucket is not covered by a backup plan with continuous backup and a cross-region copy.',
    explanation:
      'Replication copies mistakes too. Continuous backup gives point-in-time restore for 35 days, and the copy keeps a recovery point outside the region.',
  },
  {
    rule: SiteContentHistoryProtected,
    info: 'The site-content bucket has no bucket policy that denies, to every principal but named exemptions, deleting object versions and changing lifecycle, versioning and replication.',
    explanation:
      'Versions are what restores work from; without the deny, any admin or leaked deploy credential can delete them, expire them in a day, or stop versioning and replication (docs/adr/0007-immutable-recovery.md).',
  },
  {
    rule: SiteContentRecoveryPointsLocked,
    info: 'A backup vault that holds recovery points of site content is not locked in compliance mode with a minimum retention of at least the 35-day continuous-backup window.',
    explanation:
      'Recovery points are the last copy; without a compliance-mode Vault Lock the deploy role can delete them all, and a governance-mode lock it can simply remove (docs/adr/0007-immutable-recovery.md).',
  },
  {
    rule: FailoverRecordsPaired,
    info: 'A failover record lacks its partner (PRIMARY without SECONDARY for the same name and type, or the reverse), or the PRIMARY has no health check.',
    explanation:
      'Route 53 fails over only from a PRIMARY with a health check to a SECONDARY of the same name and type.',
  },
  {
    rule: AliasEvaluatesTargetHealth,
    info: 'The alias record does not evaluate target health.',
    explanation: 'Without it Route 53 answers with the alias target even when AWS knows the target is unhealthy.',
  },
  {
    rule: SwitchCheckKeepsLastKnownStatus,
    info: 'The alarm-based health check does not keep its last known status when the alarm has insufficient data.',
    explanation:
      "Route 53 judges such a check from the alarm's data stream; the traffic switch writes one data point per flip, so with any other setting a forced failover undoes itself once the stream is quiet.",
  },
  {
    rule: Route53AlarmsInUsEast1,
    info: 'The alarm watches Route 53 metrics outside us-east-1.',
    explanation:
      'Route 53 publishes health-check metrics only in us-east-1; the alarm would stay in INSUFFICIENT_DATA and never page.',
  },
  {
    rule: TopicsAdmitTheirPublishers,
    info: 'The SNS topic does not admit the AWS service that publishes to it: a TopicPolicy without an Allow of sns:Publish for cloudwatch.amazonaws.com (conditioned on aws:SourceAccount of its own account) while alarms notify it, or for events.amazonaws.com (without a Condition) while an EventBridge rule targets it without a role; or it is encrypted with a key that does not let those services use it.',
    explanation:
      "A topic policy replaces SNS's default access policy: without the Allow every alarm action or rule delivery fails, and the only trace is the alarm's history (\"Failed to execute action\") or the rule's FailedInvocations metric. Nobody is paged.",
  },
  {
    rule: AlarmsPageOneUrgency,
    info: "The alarm's ALARM actions reach no paging topic, or the paging topics of both urgencies.",
    explanation:
      'Every alarm has one urgency from the severity table (docs/incident-response.md): with none it pages nobody; with both the same event wakes someone now and again in working hours, and nobody knows which SEV it is.',
  },
  {
    rule: StatefulResourcesRetained,
    info: 'The bucket or backup vault is not RETAIN on delete and replace, or its stack is not termination-protected.',
    explanation: 'Deleting or replacing a stateful resource by a stack operation destroys content or recovery points.',
  },
  {
    rule: PlaybooksInStandbyRegion,
    info: 'The recovery playbooks (status, failover, failback, restore) are not all deployed in the standby region that holds the traffic switch.',
    explanation:
      'When the primary region is lost, recovery must run from the standby; playbooks only in the primary would be lost with it.',
  },
  {
    rule: FailoverRolesWithoutRoute53Write,
    info: 'A failover or failback playbook role can write to Route 53 (or carries a managed policy that might).',
    explanation:
      'Failover must not depend on the Route 53 control plane (us-east-1), which may be down when it is needed; the data-plane switch needs no Route 53 permission.',
  },
];

/**
 * The project's cdk-nag pack for disaster recovery. cdk-nag's own packs check that replication is
 * on, not that it reaches another region in time; and they have no Route 53 rules.
 */
export class DrChecks extends NagPack {
  readonly name = 'DR';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'DR';
  }

  protected checkResource(node: CfnResource): void {
    for (const { rule, info, explanation } of DR_RULES) {
      this.applyRule({ rule, info, explanation, level: NagMessageLevel.ERROR, node });
    }
  }
}
