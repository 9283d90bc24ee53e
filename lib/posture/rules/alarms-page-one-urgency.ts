import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagRuleCompliance } from 'cdk-nag';
import { URGENCY_METADATA } from '../../shared/paging-topic';
import { allResources, namesTopic, resolved } from './support';

/**
 * Every alarm's ALARM action reaches the paging topic of exactly one urgency: not none (nobody is
 * paged), not both (the same event would page now and in working hours, and the severity table
 * gives every alarm one urgency; docs/incident-response.md). A paging topic is an AWS::SNS::Topic
 * that carries the urgency in its metadata (`portfolio-dr:urgency`, written by PagingTopic), in
 * the alarm's stack (a Ref) or in the paging stack of its region (its ARN); a topic of another
 * region does not count, since CloudWatch notifies only topics of the alarm's region.
 */
export function AlarmsPageOneUrgency(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof cloudwatch.CfnAlarm) && !(node instanceof cloudwatch.CfnCompositeAlarm)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  // An alarm can notify only a topic of its own region: a paging topic elsewhere pages nobody.
  const region = resolved(node, Stack.of(node).region);
  const pagingTopics = allResources(node).filter(
    (c): c is sns.CfnTopic =>
      c instanceof sns.CfnTopic &&
      c.getMetadata(URGENCY_METADATA) !== undefined &&
      resolved(c, Stack.of(c).region) === region,
  );
  const actions = resolved<unknown[] | undefined>(node, node.alarmActions) ?? [];
  const urgencies = new Set<unknown>();
  for (const action of actions) {
    for (const topic of pagingTopics) {
      if (namesTopic(action, node, topic)) urgencies.add(topic.getMetadata(URGENCY_METADATA));
    }
  }
  return urgencies.size === 1 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
