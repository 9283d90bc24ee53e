import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { skipCheckov } from './nag-acknowledgements';

export interface PagingTopicProps {
  /** Address that receives every page. The subscription must be confirmed once from the e-mail. */
  readonly email: string;
  /**
   * Names of the alarms that may publish, as a pattern with one trailing `*` (`<appName>-*`, see
   * `Names.alarmNamePattern`). The topic policy admits CloudWatch only for alarms of this account
   * and region whose name matches, and `page()` refuses an alarm whose name does not.
   */
  readonly alarmNamePattern: string;
}

/**
 * The SNS topic that pages the operator. CloudWatch alarms can only notify a topic in their own
 * region, so every stack that raises alarms has one of these.
 *
 * Its topic policy replaces SNS's default access policy (which admits the owner account's services
 * through `AWS:SourceOwner`), so it must allow CloudWatch itself: with only the SSL-only Deny that
 * `enforceSSL` writes, every alarm action fails with "... is not authorized to perform:
 * SNS:Publish", visible only in the alarm's history. The Allow follows AWS's recommendation for
 * alarm topics, scoped against the confused deputy:
 * https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger and
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html.
 * The DR rule TopicsAdmitTheirPublishers checks this for every topic an alarm or rule targets.
 */
export class PagingTopic extends Construct {
  readonly topic: sns.Topic;
  /** Undefined when the pattern is a token, known only at deploy time: page() cannot check names then. */
  private readonly alarmNamePrefix?: string;

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
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'DR paging', enforceSSL: true });
    skipCheckov(
      this.topic,
      ['CKV_AWS_26'],
      'Not encrypted with KMS: CloudWatch alarms can publish to an encrypted topic only with a customer-managed key whose policy lets cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey* (the AWS-managed aws/sns key cannot be edited to allow it); that is $1 a month per region and one more policy that, if wrong, silently stops every page. Pages carry alarm names and states, no secret.',
    );
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

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
              resourceName: props.alarmNamePattern,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }

  /** Send both ALARM and OK transitions of the alarm to this topic. */
  page(alarm: cloudwatch.Alarm): void {
    const raw = (alarm.node.defaultChild as cloudwatch.CfnAlarm).alarmName;
    const name = raw === undefined || Token.isUnresolved(raw) ? undefined : raw;
    const prefix = this.alarmNamePrefix;
    if (prefix !== undefined && (name === undefined || !name.startsWith(prefix))) {
      throw new Error(
        `PagingTopic ${this.node.path}: the alarm ${alarm.node.path} must have a fixed name starting with "${prefix}" (the topic policy admits only those), got ${name === undefined ? 'none' : `"${name}"`}`,
      );
    }
    const action = new actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
