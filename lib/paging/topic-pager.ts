import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { AlarmPager, Urgency } from '../shared/alarm-pager';
import type { Names } from '../shared/naming';

/**
 * Pages through the paging stack of the alarm's region: the alarm's ALARM and OK transitions go to
 * the topic of the urgency, reached by the ARN built from its deterministic name (no export, no
 * cross-stack reference), and the alarm's stack is made to deploy after the paging stack.
 */
export class TopicPager implements AlarmPager {
  private readonly prefix: string;
  /** The topics imported into each stack, so that a stack's alarms share one import per urgency. */
  private readonly imported = new WeakMap<Stack, Map<Urgency, sns.ITopic>>();

  /** `pagingStackOf(region)` gives the region's paging stack, or undefined when it has none. */
  constructor(
    private readonly names: Names,
    private readonly pagingStackOf: (region: string) => Stack | undefined,
  ) {
    this.prefix = names.alarmNamePattern.slice(0, -1);
  }

  page(alarm: cloudwatch.Alarm, urgency: Urgency): void {
    const raw = (alarm.node.defaultChild as cloudwatch.CfnAlarm).alarmName;
    const name = raw === undefined || Token.isUnresolved(raw) ? undefined : raw;
    if (name === undefined || !name.startsWith(this.prefix)) {
      throw new Error(
        `TopicPager: the alarm ${alarm.node.path} must have a fixed name starting with "${this.prefix}" (the topic policy admits only those), got ${name === undefined ? 'none' : `"${name}"`}`,
      );
    }
    const stack = Stack.of(alarm);
    const paging = this.pagingStackOf(stack.region);
    if (paging === undefined) {
      throw new Error(
        `TopicPager: the alarm ${alarm.node.path} is in region ${stack.region}, which has no paging stack (an alarm can only notify a topic of its own region)`,
      );
    }
    const topicName = this.names.pagingTopic(urgency);
    const inStack = this.imported.get(stack) ?? new Map<Urgency, sns.ITopic>();
    this.imported.set(stack, inStack);
    let topic = inStack.get(urgency);
    if (topic === undefined) {
      const arn = stack.formatArn({ service: 'sns', resource: topicName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
      topic = sns.Topic.fromTopicArn(stack, `PagingTopic${urgency === 'high' ? 'High' : 'Low'}`, arn);
      inStack.set(urgency, topic);
    }
    if (paging !== stack) stack.addStackDependency(paging, 'its alarms notify the paging topics');
    const action = new actions.SnsAction(topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
