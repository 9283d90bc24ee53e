import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { skipCheckov } from './nag-acknowledgements';

export interface PagingTopicProps {
  /** Address that receives every page. The subscription must be confirmed once from the e-mail. */
  readonly email: string;
}

/**
 * The SNS topic that pages the operator. CloudWatch alarms can only notify a topic in their own
 * region, so every stack that raises alarms has one of these.
 */
export class PagingTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: PagingTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'DR paging', enforceSSL: true });
    skipCheckov(
      this.topic,
      ['CKV_AWS_26'],
      'Not encrypted with KMS: CloudWatch alarms can publish to an encrypted topic only with a customer-managed key whose policy lets cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey* (the AWS-managed aws/sns key cannot be edited to allow it); that is $1 a month per region and one more policy that, if wrong, silently stops every page. Pages carry alarm names and states, no secret.',
    );
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }

  /** Send both ALARM and OK transitions of the alarm to this topic. */
  page(alarm: cloudwatch.Alarm): void {
    const action = new actions.SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
