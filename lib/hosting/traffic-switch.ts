import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { runbookReference } from '../shared/runbooks';

export interface TrafficSwitchProps {
  /** Alarm name; the global stack's health check finds the alarm by this name and region. */
  readonly alarmName: string;
  readonly namespace: string;
  readonly metricName: string;
}

/**
 * The manual failover switch, on the data plane. It lives in the standby region so that it can
 * be flipped while the primary region is impaired, without the Route 53 control plane:
 *
 * - put `1` to the metric: the alarm goes to ALARM, the alarm-based health check in the primary's
 *   calculated health check turns unhealthy, and DNS answers with the standby;
 * - put `0`: the alarm returns to OK and traffic fails back (if the primary is healthy).
 *
 * Missing data is ignored, so the switch keeps its position until the next write.
 */
export class TrafficSwitch extends Construct {
  readonly alarm: cloudwatch.Alarm;
  readonly metric: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: TrafficSwitchProps) {
    super(scope, id);
    this.metric = new cloudwatch.Metric({
      namespace: props.namespace,
      metricName: props.metricName,
      statistic: 'Maximum',
      period: Duration.minutes(1),
    });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription: `Manual failover switch. ALARM = traffic forced to the standby region. Flip with the failover/failback playbooks. ${runbookReference('failover')}`,
      metric: this.metric,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
  }
}
