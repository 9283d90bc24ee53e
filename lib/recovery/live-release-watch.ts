import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { LIVE_RELEASE_WATCH_ENV } from '../../lambda/contract/assurance';
import type { Deployment } from '../../lambda/contract/deployment';
import { RELEASES_PREFIX } from '../../lambda/contract/site';
import type { AlarmPager } from '../shared/alarm-pager';
import { runbookReference } from '../shared/runbooks';
import { PlaybookFunction } from './playbook-function';

/** S3's EventBridge event types that change an object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html). */
export const WATCHED_DETAIL_TYPES = ['Object Created', 'Object Deleted'] as const;

/**
 * Key prefixes the rule sends to the function: `releases/`, raw and URL-encoded. AWS documents
 * URL-encoded keys for the classic notifications but not for EventBridge events (whose documented
 * key filters match raw keys); matching both costs nothing and does not depend on it.
 */
export const WATCHED_KEY_PREFIXES = [RELEASES_PREFIX, RELEASES_PREFIX.replace('/', '%2F')] as const;

export interface LiveReleaseWatchProps {
  /** This region's site bucket (`Names.siteBucket(role)`), by name: it lives in the data stack. */
  readonly bucketName: string;
  /** The deployment descriptor: the live release parameter's name and the app's name. */
  readonly deployment: Deployment;
  /** The playbooks' bundle (`playbookCode()`), which exports `liveReleaseChanged`. */
  readonly code: lambda.Code;
  /** Name of this region's high-urgency paging topic (`Names.pagingTopic('high')`); reached by ARN. */
  readonly topicName: string;
  /** Pages the function's errors alarm. */
  readonly pager: AlarmPager;
  /** Fixed name of the errors alarm (`Names.alarm('release-watch-failed-<role>')`). */
  readonly alarmName: string;
  /**
   * Where the runbook links point (`paging.docsBaseUrl` of the config).
   * @default - the runbook's path in the repository
   */
  readonly docsBaseUrl?: string;
}

/**
 * The "live release changed" early warning of one region (issue 10): releases are immutable once
 * published, so a write or delete under the live release's prefix pages HIGH urgency with the key,
 * the version id, the requester and source IP the S3 event carries, and the runbook.
 *
 * - Events: EventBridge notifications are on for every site bucket (SiteBucket sets
 *   `NotificationConfiguration.EventBridgeConfiguration` on the CfnBucket itself, which
 *   CloudFormation applies with PutBucketNotificationConfiguration: not one of the actions the
 *   bucket policy denies, and no Custom::S3BucketNotifications Lambda as the L2
 *   `eventBridgeEnabled` would add). S3 then sends every Object Created and Object Deleted event
 *   to this region's default bus, at least once and sometimes a minute or more late; events
 *   from AWS services cost nothing there.
 * - The rule: only the site bucket's keys under `releases/`. It cannot name the live release, which
 *   the release playbooks change at run time, so the function reads it (SSM, this region) and
 *   judges each event at the event's time, pages when the key is under the release live then,
 *   and pages "live release unknown" when it cannot tell.
 * - Replication: the standby bucket receives the primary's writes and delete markers as replicas.
 *   AWS does not say whether S3 sends EventBridge events for replicas (it is reported for the
 *   classic notifications), so the standby's watch judges any it gets like the primary's: a
 *   change to the live release may page from both regions, and a point-in-time restore of the
 *   live prefix pages by design (docs/runbooks/live-release-changed.md).
 * - A broken warning is not silent: the function's Errors alarm pages high urgency.
 */
export class LiveReleaseWatch extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly rule: events.Rule;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: LiveReleaseWatchProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const topicArn = stack.formatArn({
      service: 'sns',
      resource: props.topicName,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    const parameterArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: props.deployment.parameters.liveRelease.replace(/^\//, ''),
    });
    const runbook = runbookReference('live-release-changed', props.docsBaseUrl);

    const watch = new PlaybookFunction(this, 'Watch', {
      playbook: 'liveReleaseChanged',
      description: `Pages high urgency when an object under the live release of ${props.bucketName} is written or deleted`,
      code: props.code,
      deployment: props.deployment,
      timeout: Duration.seconds(30),
      // A publish writes every file of a new release at once, each an event: two at a time keeps
      // the SSM reads under GetParameter's default throughput (40 per second); Lambda queues the
      // throttled asynchronous invocations and retries them for up to six hours.
      reservedConcurrency: 2,
      environment: { [LIVE_RELEASE_WATCH_ENV.topicArn]: topicArn, [LIVE_RELEASE_WATCH_ENV.runbook]: runbook },
      statements: [
        // GetParameterHistory: what was live when the event happened, if the release was switched since.
        new iam.PolicyStatement({
          actions: ['ssm:GetParameter', 'ssm:GetParameterHistory'],
          resources: [parameterArn],
        }),
        // Same account: this identity policy alone lets the role publish (the topic policy, which
        // replaces SNS's default, neither admits nor denies it); DR rule TopicsAdmitTheirPublishers
        // checks this grant for every function given the topic's ARN.
        new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topicArn] }),
      ],
      noDeadLetterQueueReason:
        'No dead-letter queue: an invocation that still fails after Lambda retries it twice raises the high-urgency errors alarm of this function, and the handler logs each event before acting, so the key and requester are in its log group.',
    });
    this.function = watch.function;
    this.role = watch.role;

    this.rule = new events.Rule(this, 'Rule', {
      description: `Sends writes and deletes under ${RELEASES_PREFIX} of ${props.bucketName} to the live-release watch`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: [...WATCHED_DETAIL_TYPES],
        detail: {
          bucket: { name: [props.bucketName] },
          object: { key: WATCHED_KEY_PREFIXES.map((prefix) => ({ prefix })) },
        },
      },
      targets: [new targets.LambdaFunction(this.function)],
    });

    this.alarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmName: props.alarmName,
      alarmDescription: `The live-release watch of ${props.bucketName} failed (Lambda errors): a write or delete under the live release may not have paged. Read the event from the function's log. Urgency: high. ${runbook}`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // Idle (no upload) means no invocation and no data: nothing is wrong.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    props.pager.page(this.alarm, 'high');
  }
}
