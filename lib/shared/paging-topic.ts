import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { PagingSubscription } from '../config';
import type { Urgency } from './alarm-pager';
import { skipCheckov } from './nag-acknowledgements';

/**
 * CloudFormation metadata key on a paging topic's AWS::SNS::Topic: its urgency. The DR rule
 * AlarmsPageOneUrgency reads it to tell which urgency an alarm action reaches.
 */
export const URGENCY_METADATA = 'portfolio-dr:urgency';

export interface PagingTopicProps {
  /** Physical name of the topic; other stacks of the region build its ARN from it. */
  readonly topicName: string;
  /** The urgency this topic pages at; recorded in the template (URGENCY_METADATA). */
  readonly urgency: Urgency;
  /** Who is paged: e-mail, SMS (E.164) and HTTPS endpoints, validated by the config. */
  readonly subscriptions: readonly PagingSubscription[];
  /**
   * Names of the alarms that may publish, as a pattern with one trailing `*` (`<appName>-*`, see
   * `Names.alarmNamePattern`). The topic policy admits CloudWatch only for alarms of this account
   * and region whose name matches.
   */
  readonly alarmNamePattern: string;
  /**
   * Also admit EventBridge rules of this region (for AWS Backup job events). AWS documents that
   * the statement for events.amazonaws.com cannot carry a Condition
   * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
   * @default false
   */
  readonly admitEventBridge?: boolean;
}

/**
 * One paging topic: an urgency's SNS topic in one region, with its subscriptions. CloudWatch alarms
 * can only notify a topic in their own region, so every region that raises alarms has a paging
 * stack with one of these per urgency (lib/paging/paging-stack.ts).
 *
 * Its topic policy replaces SNS's default access policy (which admits the owner account's services
 * through `AWS:SourceOwner`), so it must allow CloudWatch itself: with only the SSL-only Deny that
 * `enforceSSL` writes, every alarm action fails with "... is not authorized to perform:
 * SNS:Publish", visible only in the alarm's history. The Allow follows AWS's recommendation for
 * alarm topics, scoped against the confused deputy:
 * https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger and
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html.
 * The DR rule TopicsAdmitTheirPublishers checks this for every topic an alarm or rule targets,
 * in any stack of the app.
 */
export class PagingTopic extends Construct {
  readonly topic: sns.Topic;
  readonly urgency: Urgency;
  /** The alarm-name prefix the policy admits; undefined when the pattern is a token. */
  readonly alarmNamePrefix?: string;

  constructor(scope: Construct, id: string, props: PagingTopicProps) {
    super(scope, id);
    const pattern = props.alarmNamePattern;
    if (!Token.isUnresolved(pattern)) {
      if (!/^[A-Za-z0-9_.\-/]+\*$/.test(pattern)) {
        throw new Error(
          `PagingTopic ${this.node.path}: alarmNamePattern must be an alarm-name prefix followed by one "*", got "${pattern}"`,
        );
      }
      this.alarmNamePrefix = pattern.slice(0, -1);
    }
    this.urgency = props.urgency;
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: `DR ${props.urgency} urgency`,
      enforceSSL: true,
    });
    (this.topic.node.defaultChild as sns.CfnTopic).addMetadata(URGENCY_METADATA, props.urgency);
    skipCheckov(
      this.topic,
      ['CKV_AWS_26'],
      'Not encrypted with KMS: CloudWatch alarms can publish to an encrypted topic only with a customer-managed key whose policy lets cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey* (the AWS-managed aws/sns key cannot be edited to allow it); that is $1 a month per region and one more policy that, if wrong, silently stops every page. Pages carry alarm names and states, no secret.',
    );
    for (const sub of props.subscriptions) this.topic.addSubscription(subscriptionOf(sub));

    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAppsAlarmsToPublish',
        effect: iam.Effect.ALLOW,
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: pattern,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.admitEventBridge === true) {
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowEventBridgeRulesToPublish',
          effect: iam.Effect.ALLOW,
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
        }),
      );
    }
  }
}

function subscriptionOf(sub: PagingSubscription): sns.ITopicSubscription {
  switch (sub.protocol) {
    case 'email':
      return new subscriptions.EmailSubscription(sub.endpoint);
    case 'sms':
      return new subscriptions.SmsSubscription(sub.endpoint);
    case 'https':
      // PagerDuty's and Opsgenie's CloudWatch integrations read SNS's JSON envelope, so raw
      // delivery stays off; both confirm the subscription by themselves.
      return new subscriptions.UrlSubscription(sub.endpoint, { protocol: sns.SubscriptionProtocol.HTTPS });
  }
}
