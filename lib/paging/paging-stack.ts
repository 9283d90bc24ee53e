import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type DrConfig, pagingSubscriptions } from '../config';
import type { Urgency } from '../shared/alarm-pager';
import { Names } from '../shared/naming';
import { PagingTopic } from '../shared/paging-topic';

export interface PagingStackProps extends StackProps {
  /** The validated config: the app name (topic names, alarm-name pattern) and each urgency's subscriptions. */
  readonly config: DrConfig;
}

export const URGENCIES: readonly Urgency[] = ['high', 'low'];

/**
 * The paging topics of one region: one per urgency, with the subscriptions the config lists
 * for it. Every stack of the region that raises alarms pages through these (TopicPager), so an
 * operator confirms each subscription once per region and urgency
 * (docs/adr/0009-paging-by-urgency.md). Stateless: it can be destroyed and redeployed, at the cost
 * of confirming the e-mail subscriptions again.
 */
export class PagingStack extends Stack {
  readonly topics: Record<Urgency, PagingTopic>;

  constructor(scope: Construct, id: string, props: PagingStackProps) {
    super(scope, id, props);
    const names = new Names(props.config);
    const topic = (urgency: Urgency) =>
      new PagingTopic(this, urgency === 'high' ? 'High' : 'Low', {
        topicName: names.pagingTopic(urgency),
        urgency,
        subscriptions: pagingSubscriptions(props.config, urgency),
        alarmNamePattern: names.alarmNamePattern,
        // AWS Backup job events reach the low-urgency topic through an EventBridge rule.
        admitEventBridge: urgency === 'low',
      });
    this.topics = { high: topic('high'), low: topic('low') };
    for (const urgency of URGENCIES) {
      new CfnOutput(this, urgency === 'high' ? 'HighUrgencyTopicArn' : 'LowUrgencyTopicArn', {
        value: this.topics[urgency].topic.topicArn,
      });
    }
  }
}
