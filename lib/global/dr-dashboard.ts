import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { DrConfig } from '../config';
import {
  assuranceNamespace,
  DRILL_METRICS,
  READINESS_CHECK_DIMENSION,
  READINESS_CHECKS,
  READINESS_METRIC,
} from '../../lambda/contract/assurance';
import { GLOBAL_REGION, REGION_ROLES, type RegionRole } from '../../lambda/contract/regions';
import { REPLICATION_RULE_ID } from '../../lambda/contract/replication';
import { STAGE_NAME } from '../../lambda/contract/site';
import { SITE_API_NAME } from '../hosting/static-site-api';
import { type AlarmPurpose, Names } from '../shared/naming';
import { type RunbookName, runbookReference } from '../shared/runbooks';

export interface DrDashboardProps {
  /** The validated deployment config: app name, both regions, the account and the RTO/RPO objectives. */
  readonly config: DrConfig;
  /** Id of each region's HTTPS health check (AWS/Route53 HealthCheckStatus, published in us-east-1 only). */
  readonly healthCheckIds: Record<RegionRole, string>;
  /** Id of the calculated check that keeps the PRIMARY record answering: 0 means the standby serves. */
  readonly primaryServingHealthCheckId: string;
}

const WIDTH = 24;
/**
 * How far back the drill widgets look. A single-value widget shows the newest data point in its time
 * range, so over this window it shows the last drill (one data point per drill, daily period).
 */
const DRILL_WINDOW = '-P90D';

/**
 * One CloudWatch dashboard (in us-east-1, beside the Route 53 metrics) for the whole DR pair. Every
 * widget names its region: a dashboard may show metrics and alarms of any region of the account.
 * Alarms and metrics of the regional stacks are referenced by their deterministic names
 * (docs/adr/0002-cross-region-names.md), never by a cross-region reference.
 */
export class DrDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DrDashboardProps) {
    super(scope, id);
    const { config } = props;
    const names = new Names(config);
    const stack = Stack.of(this);
    const region = (role: RegionRole) => names.regionOf(role);
    const namespace = assuranceNamespace(config.appName);
    const rpoSeconds = config.objectives.rpoMinutes * 60;
    const rtoSeconds = config.objectives.rtoMinutes * 60;

    const alarmIn = (constructId: string, alarmRegion: string, alarmName: string) =>
      cloudwatch.Alarm.fromAlarmArn(
        this,
        constructId,
        stack.formatArn({
          service: 'cloudwatch',
          region: alarmRegion,
          account: config.account,
          resource: 'alarm',
          resourceName: alarmName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      );
    /** An alarm widget and, beside it, the runbook the page points to. */
    const alarmRow = (
      constructId: string,
      title: string,
      alarmRegion: string,
      alarmName: string,
      runbook: RunbookName,
    ): cloudwatch.IWidget[] => [
      new cloudwatch.AlarmWidget({
        title: `${title} (${alarmRegion})`,
        alarm: alarmIn(constructId, alarmRegion, alarmName),
        region: alarmRegion,
        width: 16,
        height: 5,
      }),
      new cloudwatch.TextWidget({
        markdown: `**${alarmName}**\n\n${runbookReference(runbook)}`,
        width: 8,
        height: 5,
      }),
    ];
    const pagingAlarm = (purpose: AlarmPurpose) => names.alarm(purpose);

    // Route 53 publishes HealthCheckStatus (1 healthy, 0 unhealthy) in us-east-1 only.
    const healthStatus = (label: string, healthCheckId: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensionsMap: { HealthCheckId: healthCheckId },
        statistic: 'Minimum',
        period: Duration.minutes(1),
        region: GLOBAL_REGION,
        label,
      });

    const replicationMetric = (metricName: string, statistic: string, label: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName,
        // S3 publishes replication metrics in the source bucket's region, per rule.
        dimensionsMap: {
          SourceBucket: names.siteBucket('primary'),
          DestinationBucket: names.siteBucket('standby'),
          RuleId: REPLICATION_RULE_ID,
        },
        statistic,
        period: Duration.minutes(5),
        region: region('primary'),
        label,
      });

    const drill = (metricName: string, label: string) => assurance(metricName, label, undefined, Duration.days(1));
    const assurance = (
      metricName: string,
      label: string,
      dimensionsMap?: Record<string, string>,
      period: Duration = Duration.hours(1),
    ) =>
      new cloudwatch.Metric({
        namespace,
        metricName,
        dimensionsMap,
        statistic: 'Maximum',
        period,
        region: region('standby'),
        label,
      });

    // AWS/Backup job counts; their dimension sets (per vault, per resource type) are matched by a
    // search on the vault's name so that no dimension set has to be guessed.
    const backupSearch = (role: RegionRole, metricName: string, label: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('Namespace="AWS/Backup" MetricName="${metricName}" BackupVaultName="${names.backupVault}"', 'Sum', 86400)`,
        searchRegion: region(role),
        label,
        period: Duration.days(1),
      });
    // ACM publishes DaysToExpiry per certificate (dimension CertificateArn) in the certificate's
    // region; the ARNs are not deterministic, so a search lists the account's certificates there.
    const certificateSearch = (role: RegionRole) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{AWS/CertificateManager,CertificateArn} MetricName="DaysToExpiry"', 'Minimum', 86400)`,
        searchRegion: region(role),
        label: `${region(role)} DaysToExpiry`,
        period: Duration.days(1),
      });
    // REST API metrics carry the dimensions ApiName and Stage.
    const apiMetric = (role: RegionRole, metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiName: SITE_API_NAME, Stage: STAGE_NAME },
        statistic,
        period: Duration.minutes(5),
        region: region(role),
        label: `${region(role)} ${metricName}`,
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${config.appName}-dr`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# ${config.appName} disaster recovery\nPrimary ${region('primary')}, standby ${region('standby')}. RTO ${config.objectives.rtoMinutes} min, RPO ${config.objectives.rpoMinutes} min.`,
        width: WIDTH,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Route 53 health checks (1 healthy, 0 unhealthy)',
        region: GLOBAL_REGION,
        left: [
          ...REGION_ROLES.map((role) => healthStatus(`${role} ${region(role)}`, props.healthCheckIds[role])),
          healthStatus('primary serving (0: the standby serves)', props.primaryServingHealthCheckId),
        ],
        leftYAxis: { min: 0, max: 1 },
        width: WIDTH,
      }),
    );
    this.dashboard.addWidgets(
      ...alarmRow(
        'ServingFromStandby',
        'Serving from the standby',
        GLOBAL_REGION,
        pagingAlarm('serving-from-standby'),
        'failover',
      ),
    );
    this.dashboard.addWidgets(
      ...alarmRow(
        'TrafficSwitch',
        'Traffic switch (ALARM: failover forced)',
        region('standby'),
        names.trafficSwitchAlarm,
        'failover',
      ),
    );
    for (const role of REGION_ROLES) {
      const purpose: AlarmPurpose = role === 'primary' ? 'primary-unhealthy' : 'standby-unhealthy';
      this.dashboard.addWidgets(
        ...alarmRow(
          `${role}Unhealthy`,
          `${role} unhealthy`,
          GLOBAL_REGION,
          pagingAlarm(purpose),
          'service-degradation',
        ),
      );
    }
    this.dashboard.addWidgets(
      ...alarmRow(
        'ReplicationLatency',
        'Replication latency over the RPO',
        region('primary'),
        pagingAlarm('replication-latency-over-rpo'),
        'replication-drift',
      ),
    );
    this.dashboard.addWidgets(
      ...alarmRow(
        'ReplicationFailed',
        'Replication failed',
        region('primary'),
        pagingAlarm('replication-failed'),
        'replication-drift',
      ),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Replication latency against the RPO (${region('primary')})`,
        region: region('primary'),
        left: [replicationMetric('ReplicationLatency', 'Maximum', 'ReplicationLatency (s)')],
        leftAnnotations: [{ value: rpoSeconds, label: `RPO ${config.objectives.rpoMinutes} min` }],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: `Operations pending replication (${region('primary')})`,
        region: region('primary'),
        left: [replicationMetric('OperationsPendingReplication', 'Maximum', 'OperationsPendingReplication')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Readiness checks (1 failed, ${region('standby')})`,
        region: region('standby'),
        left: READINESS_CHECKS.map((check) =>
          assurance(READINESS_METRIC, check, { [READINESS_CHECK_DIMENSION]: check }),
        ),
        leftYAxis: { min: 0, max: 1 },
        width: WIDTH,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: `Last drill: measured RTO (s), objective ${rtoSeconds} s (${region('standby')})`,
        region: region('standby'),
        metrics: [drill(DRILL_METRICS.measuredRtoSeconds, 'measured RTO (s)')],
        start: DRILL_WINDOW,
        width: 8,
      }),
      new cloudwatch.SingleValueWidget({
        title: `Last drill: achieved RPO (s), objective ${rpoSeconds} s (${region('standby')})`,
        region: region('standby'),
        metrics: [drill(DRILL_METRICS.achievedRpoSeconds, 'achieved RPO (s)')],
        start: DRILL_WINDOW,
        width: 8,
      }),
      new cloudwatch.SingleValueWidget({
        title: `Last drill passed (1 yes, ${region('standby')})`,
        region: region('standby'),
        metrics: [drill(DRILL_METRICS.passed, 'drill passed')],
        start: DRILL_WINDOW,
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Drill measurements against the objectives',
        region: region('standby'),
        start: DRILL_WINDOW,
        left: [
          drill(DRILL_METRICS.measuredRtoSeconds, 'measured RTO (s)'),
          drill(DRILL_METRICS.achievedRpoSeconds, 'achieved RPO (s)'),
        ],
        leftAnnotations: [
          { value: rtoSeconds, label: `RTO ${config.objectives.rtoMinutes} min` },
          { value: rpoSeconds, label: `RPO ${config.objectives.rpoMinutes} min` },
        ],
        width: WIDTH,
      }),
    );
    this.dashboard.addWidgets(
      ...REGION_ROLES.map(
        (role) =>
          new cloudwatch.GraphWidget({
            title: `AWS Backup jobs, vault ${names.backupVault} (${region(role)})`,
            region: region(role),
            left: [
              backupSearch(role, 'NumberOfBackupJobsCompleted', 'backup completed'),
              backupSearch(role, 'NumberOfBackupJobsFailed', 'backup failed'),
              backupSearch(role, 'NumberOfCopyJobsFailed', 'copy failed'),
            ],
            width: 12,
          }),
      ),
    );
    this.dashboard.addWidgets(
      ...REGION_ROLES.map(
        (role) =>
          new cloudwatch.GraphWidget({
            title: `Certificate days to expiry (${region(role)})`,
            region: region(role),
            left: [certificateSearch(role)],
            // ACM starts renewing 60 days ahead; under 30 days the renewal is stuck.
            leftAnnotations: [{ value: 30, label: 'renewal stuck' }],
            width: 12,
          }),
      ),
    );
    this.dashboard.addWidgets(
      ...REGION_ROLES.map(
        (role) =>
          new cloudwatch.GraphWidget({
            title: `Site API ${STAGE_NAME} stage errors and latency (${region(role)})`,
            region: region(role),
            left: [apiMetric(role, '4XXError', 'Sum'), apiMetric(role, '5XXError', 'Sum')],
            right: [apiMetric(role, 'Latency', 'p99')],
            width: 12,
          }),
      ),
    );
  }
}
