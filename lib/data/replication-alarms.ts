import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Names } from '../shared/naming';
import type { AlarmPager } from '../shared/alarm-pager';
import { runbookReference } from '../shared/runbooks';

/** Replication Time Control's threshold: 99.99% of objects replicate within it. */
export const RTC_THRESHOLD = Duration.minutes(15);

export interface ReplicationAlarmsProps {
  /** The replicating bucket; S3 publishes the replication metrics in its region, where the alarms live. */
  readonly source: s3.IBucket;
  /** The replica bucket: the `DestinationBucket` dimension of the metrics. */
  readonly destination: s3.IBucket;
  /**
   * Id of the replication rule: the `RuleId` dimension. S3 publishes these metrics only for a rule
   * with replication metrics (or Replication Time Control) on.
   */
  readonly ruleId: string;
  /** The recovery point objective: replication slower than this pages. */
  readonly rpo: Duration;
  /** Pages both alarms' ALARM and OK transitions, each at its urgency. */
  readonly pager: AlarmPager;
  /** Gives the alarms their deterministic names. */
  readonly names: Names;
  /**
   * Where the docs are published (config `paging.docsBaseUrl`): the runbook link is a full URL under it.
   * @default - the runbook's path in the repository
   */
  readonly docsBaseUrl?: string;
}

/**
 * Pages when replication to the standby region lags behind the RPO, or fails.
 * S3 publishes replication metrics in the source bucket's region, and an alarm can only watch
 * metrics of its own region, so these alarms live beside the source bucket.
 */
export class ReplicationAlarms extends Construct {
  readonly latency: cloudwatch.Alarm;
  readonly failures: cloudwatch.Alarm;
  /**
   * Early warning: latency above the Replication Time Control threshold (15 minutes), before the
   * RPO alarm. Undefined when the RPO is not longer than that threshold (the RPO alarm fires first).
   */
  readonly latencyOverRtc?: cloudwatch.Alarm;
  /** Early warning: operations pending replication grew in each of three 5-minute periods. */
  readonly stalled: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ReplicationAlarmsProps) {
    super(scope, id);
    const dimensionsMap = {
      SourceBucket: props.source.bucketName,
      DestinationBucket: props.destination.bucketName,
      RuleId: props.ruleId,
    };

    // The worst object's lag over 5 minutes: judged against the RPO and, earlier, against RTC's 15 minutes.
    const replicationLatency = new cloudwatch.Metric({
      namespace: 'AWS/S3',
      metricName: 'ReplicationLatency',
      dimensionsMap,
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });

    this.latency = new cloudwatch.Alarm(this, 'LatencyOverRpo', {
      alarmName: props.names.alarm('replication-latency-over-rpo'),
      alarmDescription: `Replication to the standby region is slower than the RPO (${props.rpo.toMinutes()} min). ${runbookReference('replication-drift', props.docsBaseUrl)}`,
      metric: replicationLatency,
      threshold: props.rpo.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No writes means no replication metric: that is not lag.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.failures = new cloudwatch.Alarm(this, 'FailedReplication', {
      alarmName: props.names.alarm('replication-failed'),
      alarmDescription: `Objects failed to replicate to the standby region. ${runbookReference('replication-drift', props.docsBaseUrl)}`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName: 'OperationsFailedReplication',
        dimensionsMap,
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // SEV2 (docs/incident-response.md): the RPO is at risk.
    props.pager.page(this.latency, 'high');

    // S3 Replication Time Control replicates 99.99% of objects within 15 minutes and publishes
    // ReplicationLatency and OperationsPendingReplication for the rule
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html): an object
    // older than that is already outside RTC's promise, and with an RPO above 15 minutes this pages
    // before the RPO alarm does.
    if (props.rpo.toSeconds() > RTC_THRESHOLD.toSeconds()) {
      this.latencyOverRtc = new cloudwatch.Alarm(this, 'LatencyOverRtc', {
        alarmName: props.names.alarm('replication-latency-over-rtc'),
        alarmDescription: `Early warning: replication to the standby region is slower than Replication Time Control's ${RTC_THRESHOLD.toMinutes()} minutes; the RPO (${props.rpo.toMinutes()} min) is next. ${runbookReference('replication-drift', props.docsBaseUrl)}`,
        metric: replicationLatency,
        threshold: RTC_THRESHOLD.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      props.pager.page(this.latencyOverRtc, 'low');
    }

    // Stalled: the backlog grows period after period. DIFF (metric math) is each value minus the
    // previous one, so DIFF > 0 in three consecutive 5-minute periods is a backlog that kept growing
    // for 15 minutes, the RTC threshold: a burst of uploads drains within it, a stall does not.
    this.stalled = new cloudwatch.Alarm(this, 'Stalled', {
      alarmName: props.names.alarm('replication-stalled'),
      alarmDescription: `Early warning: operations pending replication to the standby region grew for 15 minutes in a row. ${runbookReference('replication-drift', props.docsBaseUrl)}`,
      metric: new cloudwatch.MathExpression({
        expression: 'DIFF(pending)',
        label: 'Growth of OperationsPendingReplication',
        usingMetrics: {
          pending: new cloudwatch.Metric({
            namespace: 'AWS/S3',
            metricName: 'OperationsPendingReplication',
            dimensionsMap,
            statistic: 'Maximum',
            period: Duration.minutes(5),
          }),
        },
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    props.pager.page(this.stalled, 'low');
    // SEV3: a recovery option is degraded; drctl verify-replication repairs it.
    props.pager.page(this.failures, 'low');
  }
}
