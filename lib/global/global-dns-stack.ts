import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import type { DrConfig } from '../config';
import type { AlarmPager, Urgency } from '../shared/alarm-pager';
import { CHECKOV_REASONS, skipCheckov } from '../shared/nag-acknowledgements';
import { GLOBAL_REGION, REGION_ROLES, type RegionRole } from '../../lambda/contract/regions';
import { HEALTH_PATH } from '../../lambda/contract/site';
import { type AlarmPurpose, Names } from '../shared/naming';
import { type RunbookName, runbookReference } from '../shared/runbooks';
import {
  type SwitchAlarmDefinition,
  switchAlarmFingerprint,
  TRAFFIC_SWITCH_ALARM,
} from '../../lambda/contract/traffic-switch';
import { DrDashboard } from './dr-dashboard';
import { RegionalEndpointLookup } from './regional-endpoint-lookup';

export interface GlobalDnsStackProps extends StackProps {
  /**
   * The validated deployment config (lib/config.ts, `loadConfig`): the domain and hosted zone, both
   * regions' hosts, the health-check interval, threshold and search string, and the alert e-mail.
   * `env.region` must be us-east-1.
   */
  readonly config: DrConfig;
  /** Pages through the paging topics of us-east-1 (lib/paging/topic-pager.ts). */
  readonly pager: AlarmPager;
}

/**
 * Logical id of the alarm-based switch health check: `TrafficSwitchHealth<fingerprint>`. A new id
 * replaces the check, which then copies the alarm's current settings.
 */
export function switchHealthCheckLogicalId(definition: SwitchAlarmDefinition): string {
  return `TrafficSwitchHealth${switchAlarmFingerprint(definition)}`;
}

/**
 * Route 53 failover for the site's name, and the alarms that page on it. It lives in us-east-1
 * because Route 53 publishes health-check metrics only there.
 *
 * The PRIMARY record answers while CALCULATED(primary HTTPS check, traffic switch) is healthy;
 * otherwise Route 53 answers with the SECONDARY record (the standby) if the standby's own deep
 * health check passes. Both records also evaluate their alias target's health.
 */
export class GlobalDnsStack extends Stack {
  readonly healthChecks: Record<RegionRole, route53.HealthCheck>;
  readonly switchHealthCheck: route53.HealthCheck;
  readonly primaryServingCheck: route53.HealthCheck;
  readonly records: Record<RegionRole, route53.ARecord>;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: DrDashboard;

  constructor(scope: Construct, id: string, props: GlobalDnsStackProps) {
    super(scope, id, props);
    // Without env.region the stack is environment-agnostic: its region is a token resolved only at
    // deploy time, and the Route 53 metrics and health checks below need us-east-1 at synth.
    if (Token.isUnresolved(this.region)) {
      throw new Error(
        `GlobalDnsStack ${id}: env.region is not set; it must be "${GLOBAL_REGION}" (Route 53 metrics live there)`,
      );
    }
    if (this.region !== GLOBAL_REGION) {
      throw new Error(
        `GlobalDnsStack ${id}: env.region must be "${GLOBAL_REGION}" (Route 53 metrics live there), got "${this.region}"`,
      );
    }
    const { config } = props;
    const names = new Names(config);
    const hc = config.healthCheck;

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZone.id,
      zoneName: config.hostedZone.name,
    });

    const httpsCheck = (role: RegionRole) =>
      new route53.HealthCheck(this, `${capitalize(role)}Health`, {
        type: route53.HealthCheckType.HTTPS_STR_MATCH,
        fqdn: names.regionalHost(role),
        port: 443,
        resourcePath: HEALTH_PATH,
        searchString: hc.searchString,
        requestInterval: Duration.seconds(hc.intervalSeconds),
        failureThreshold: hc.failureThreshold,
        enableSNI: true,
      });
    this.healthChecks = { primary: httpsCheck('primary'), standby: httpsCheck('standby') };

    this.switchHealthCheck = new route53.HealthCheck(this, 'TrafficSwitchHealth', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { region: names.regionOf('standby'), name: names.trafficSwitchAlarm },
      // Route 53 judges this check from the alarm's data stream, and the switch metric gets one data
      // point per flip: once the stream is quiet, keep the last known status, so a forced failover
      // stays forced. A check with no status yet (switch never touched) is healthy: no failover.
      // See docs/adr/0006-traffic-switch-holds.md.
      insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.LAST_KNOWN_STATUS,
    });
    // Route 53 judges with its own copy of the alarm's settings, taken when the check is created;
    // the check's properties name only the alarm, so a changed period or threshold would never
    // reach it. The settings' fingerprint in the logical id makes CloudFormation replace the check
    // whenever they change (docs/adr/0006-traffic-switch-holds.md, addendum).
    (this.switchHealthCheck.node.defaultChild as route53.CfnHealthCheck).overrideLogicalId(
      switchHealthCheckLogicalId({
        namespace: names.trafficSwitchNamespace,
        metricName: names.trafficSwitchMetric,
        settings: TRAFFIC_SWITCH_ALARM,
      }),
    );

    this.primaryServingCheck = new route53.HealthCheck(this, 'PrimaryServingHealth', {
      type: route53.HealthCheckType.CALCULATED,
      childHealthChecks: [this.healthChecks.primary, this.switchHealthCheck],
      healthThreshold: 2,
    });

    // The endpoint lookups' provider (a singleton Lambda) writes to this log group only, instead
    // of AWSLambdaBasicExecutionRole's logs:CreateLogGroup on every log group of the account.
    const lookupRole = new iam.Role(this, 'EndpointLookupRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads the regional endpoints of the API Gateway custom domains at deploy time.',
    });
    const lookupLogs = new logs.LogGroup(this, 'EndpointLookupLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    lookupLogs.grantWrite(lookupRole);
    skipCheckov(lookupLogs, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);
    const lookup = (role: RegionRole) =>
      new RegionalEndpointLookup(this, `${capitalize(role)}Endpoint`, {
        domainName: config.domainName,
        region: names.regionOf(role),
        providerRole: lookupRole,
        providerLogGroup: lookupLogs,
      });
    const primaryEndpoint = lookup('primary');
    const standbyEndpoint = lookup('standby');

    this.records = {
      primary: new route53.ARecord(this, 'PrimaryRecord', {
        zone,
        recordName: config.domainName,
        failover: route53.Failover.PRIMARY,
        setIdentifier: names.failoverSetIdentifier('primary'),
        healthCheck: this.primaryServingCheck,
        target: route53.RecordTarget.fromAlias(primaryEndpoint.aliasTarget(true)),
      }),
      standby: new route53.ARecord(this, 'StandbyRecord', {
        zone,
        recordName: config.domainName,
        failover: route53.Failover.SECONDARY,
        setIdentifier: names.failoverSetIdentifier('standby'),
        // With both records unhealthy Route 53 answers with the PRIMARY: a forced failover can
        // never send visitors to a standby that cannot serve.
        healthCheck: this.healthChecks.standby,
        target: route53.RecordTarget.fromAlias(standbyEndpoint.aliasTarget(true)),
      }),
    };

    const unhealthyAlarm = (
      constructId: string,
      purpose: AlarmPurpose,
      check: route53.HealthCheck,
      description: string,
      runbook: RunbookName,
      urgency: Urgency,
    ) => {
      const alarm = new cloudwatch.Alarm(this, constructId, {
        alarmName: names.alarm(purpose),
        alarmDescription: `${description} ${runbookReference(runbook, config.paging?.docsBaseUrl)}`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensionsMap: { HealthCheckId: check.healthCheckId },
          statistic: 'Minimum',
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // Health checks report every minute; silence means something is wrong.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      props.pager.page(alarm, urgency);
      this.alarms.push(alarm);
      return alarm;
    };
    unhealthyAlarm(
      'PrimaryUnhealthyAlarm',
      'primary-unhealthy',
      this.healthChecks.primary,
      `Primary region ${names.regionOf('primary')} fails its deep health check.`,
      'service-degradation',
      // SEV1/SEV2 (docs/incident-response.md): the site is down, or about to be served from its last region.
      'high',
    );
    unhealthyAlarm(
      'StandbyUnhealthyAlarm',
      'standby-unhealthy',
      this.healthChecks.standby,
      `Standby region ${names.regionOf('standby')} fails its deep health check: no failover target.`,
      'service-degradation',
      // SEV3 while the primary serves (no visitor impact). When both fail, primary-unhealthy pages high.
      'low',
    );
    unhealthyAlarm(
      'ServingFromStandbyAlarm',
      'serving-from-standby',
      this.primaryServingCheck,
      `The primary is out of service (unhealthy, or switched off by a failover): Route 53 answers with the standby region ${names.regionOf('standby')} if it is healthy.`,
      'failover',
      // SEV2: the site works on its last line of defence.
      'high',
    );

    // One dashboard for the pair, here beside the Route 53 metrics (docs/observability.md).
    this.dashboard = new DrDashboard(this, 'DrDashboard', {
      config,
      healthCheckIds: {
        primary: this.healthChecks.primary.healthCheckId,
        standby: this.healthChecks.standby.healthCheckId,
      },
      primaryServingHealthCheckId: this.primaryServingCheck.healthCheckId,
    });

    for (const role of REGION_ROLES) {
      new CfnOutput(this, `${capitalize(role)}HealthCheckId`, { value: this.healthChecks[role].healthCheckId });
    }
    new CfnOutput(this, 'TrafficSwitchHealthCheckId', { value: this.switchHealthCheck.healthCheckId });
    new CfnOutput(this, 'PrimaryServingHealthCheckId', { value: this.primaryServingCheck.healthCheckId });
    new CfnOutput(this, 'SiteUrl', { value: `https://${config.domainName}/` });
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
