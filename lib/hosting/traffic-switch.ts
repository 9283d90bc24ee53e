import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { runbookReference } from '../shared/runbooks';
import { TRAFFIC_SWITCH_ALARM } from '../../lambda/contract/traffic-switch';

export interface TrafficSwitchProps {
  /** Alarm name; the global stack's health check finds the alarm by this name and region. */
  readonly alarmName: string;
  /**
   * Namespace of the custom metric the failover and failback playbooks put (and nothing else
   * does): their IAM grant is conditioned on it.
   */
  readonly namespace: string;
  /** Name of that metric: `1` forces traffic to the standby, `0` releases it. */
  readonly metricName: string;
  /**
   * Where the docs are published (config `paging.docsBaseUrl`): the runbook link is a full URL under it.
   * @default - the runbook's path in the repository
   */
  readonly docsBaseUrl?: string;
}

/**
 * The manual failover switch, on the data plane. It lives in the standby region so that it can
 * be flipped while the primary region is impaired, without the Route 53 control plane:
 *
 * - put `1` to the metric: the alarm goes to ALARM, the alarm-based health check in the primary's
 *   calculated health check turns unhealthy, and DNS answers with the standby;
 * - put `0`: the alarm returns to OK and traffic fails back (if the primary is healthy).
 *
 * Missing data is ignored, so the switch keeps its position until the next write. How the alarm
 * judges the metric comes from TRAFFIC_SWITCH_ALARM (lambda/contract/traffic-switch.ts), which
 * the global stack reads too: Route 53 keeps a copy of these settings in the health check.
 */
export class TrafficSwitch extends Construct {
  readonly alarm: cloudwatch.Alarm;
  readonly metric: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: TrafficSwitchProps) {
    super(scope, id);
    const s = TRAFFIC_SWITCH_ALARM;
    this.metric = new cloudwatch.Metric({
      namespace: props.namespace,
      metricName: props.metricName,
      statistic: s.statistic,
      period: Duration.seconds(s.periodSeconds),
    });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription: `Manual failover switch. ALARM = traffic forced to the standby region. Flip with the failover/failback playbooks. ${runbookReference('failover', props.docsBaseUrl)}`,
      metric: this.metric,
      threshold: s.threshold,
      comparisonOperator: s.comparisonOperator as cloudwatch.ComparisonOperator,
      evaluationPeriods: s.evaluationPeriods,
      datapointsToAlarm: s.datapointsToAlarm,
      treatMissingData: s.treatMissingData as cloudwatch.TreatMissingData,
    });
  }
}
