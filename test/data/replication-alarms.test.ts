import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { parseConfig } from '../../lib/config';
import { ReplicationAlarms } from '../../lib/data/replication-alarms';
import type { AlarmPager, Urgency } from '../../lib/shared/alarm-pager';
import { Names } from '../../lib/shared/naming';
import { defaultConfig } from '../support/config';

/** ReplicationAlarms in a small stack, with a pager that records each alarm's urgency by name. */
function setup(rpoMinutes = 30) {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const paged: Record<string, Urgency> = {};
  const pager: AlarmPager = {
    page: (alarm: cloudwatch.Alarm, urgency: Urgency) => {
      paged[(alarm.node.defaultChild as cloudwatch.CfnAlarm).alarmName!] = urgency;
    },
  };
  new ReplicationAlarms(stack, 'R', {
    source: s3.Bucket.fromBucketName(stack, 'Src', 'src'),
    destination: s3.Bucket.fromBucketName(stack, 'Dst', 'dst'),
    ruleId: 'rule',
    rpo: Duration.minutes(rpoMinutes),
    pager,
    names: new Names(parseConfig({ ...defaultConfig(), objectives: { rtoMinutes: 15, rpoMinutes } })),
  });
  return { template: Template.fromStack(stack), paged };
}

describe('replication early warnings', () => {
  test('each alarm pages at its urgency: the RPO alarm high, the warnings and failures low', () => {
    expect(setup().paged).toEqual({
      'portfolio-replication-latency-over-rpo': 'high',
      'portfolio-replication-latency-over-rtc': 'low',
      'portfolio-replication-stalled': 'low',
      'portfolio-replication-failed': 'low',
    });
  });

  test("latency above RTC's 15 minutes warns before the RPO alarm (1800 s)", () => {
    const { template } = setup();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'portfolio-replication-latency-over-rtc',
      Namespace: 'AWS/S3',
      MetricName: 'ReplicationLatency',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription:
        "Early warning: replication to the standby region is slower than Replication Time Control's 15 minutes; the RPO (30 min) is next. Runbook: docs/runbooks/replication-drift.md",
    });
  });

  test('with an RPO of 15 minutes or less there is no RTC warning: the RPO alarm fires first', () => {
    expect(Object.keys(setup(15).paged)).not.toContain('portfolio-replication-latency-over-rtc');
  });

  test('stalled: DIFF of the maximum pending operations above 0 in three 5-minute periods in a row', () => {
    const { template } = setup();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'portfolio-replication-stalled',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'DIFF(pending)',
          Label: 'Growth of OperationsPendingReplication',
          ReturnData: true,
        },
        {
          Id: 'pending',
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/S3',
              MetricName: 'OperationsPendingReplication',
              Dimensions: [
                { Name: 'DestinationBucket', Value: 'dst' },
                { Name: 'RuleId', Value: 'rule' },
                { Name: 'SourceBucket', Value: 'src' },
              ],
            },
            Period: 300,
            Stat: 'Maximum',
          },
        },
      ],
    });
  });
});
