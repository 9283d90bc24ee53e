import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import {
  assuranceNamespace,
  CERTIFICATE_MIN_DAYS,
  READINESS_CHECK_DIMENSION,
  READINESS_CHECKS,
  READINESS_METRIC,
  type ReadinessCheckName,
  readinessFunctionName,
} from '../../lambda/contract/assurance';
import { REGION_ROLES } from '../../lambda/contract/regions';
import { STAGE_NAME } from '../../lambda/contract/site';
import type { DrConfig } from '../config';
import { playbookCode } from '../recovery/playbook-code';
import { PlaybookFunction } from '../recovery/playbook-function';
import type { AlarmPager, Urgency } from '../shared/alarm-pager';
import { deploymentOf } from '../shared/deployment';
import { acknowledge, wildcardResourceFinding } from '../shared/nag-acknowledgements';
import { Names } from '../shared/naming';
import { runbookReference } from '../shared/runbooks';

/**
 * How often the checks run. Every 15 minutes, the Replication Time Control threshold: a fault is
 * seen within one RTC window, and the alarms' 30-minute period holds two runs. Each run is one
 * short Lambda invocation, a few S3 LIST requests (one per 1,000 keys of each bucket, plus the live
 * release) and one PutMetricData: about 2,900 runs, under $0.20 a month; the seven metrics ($0.30
 * each) and seven alarms ($0.10 each) cost $2.80 (README, idle cost).
 */
export const READINESS_SCHEDULE = Duration.minutes(15);

/** Each alarm judges this period: two scheduled runs, so a single late run is not missing data. */
export const READINESS_ALARM_PERIOD = Duration.minutes(30);

/**
 * Per check: its urgency (high when the standby could not take traffic as the primary serves it
 * now; low for early warnings, handled in working hours) and what its alarm tells the operator.
 */
export const READINESS_ALARMS: Record<ReadinessCheckName, { readonly urgency: Urgency; readonly fires: string }> = {
  'health-checks': {
    urgency: 'high',
    fires: "a region's Route 53 health check is unhealthy or missing: failover would have nowhere healthy to go",
  },
  'traffic-switch': {
    urgency: 'low',
    fires:
      'the traffic switch is in ALARM (a failover is in effect; serving-from-standby pages for the outage itself) or missing',
  },
  'replication-drift': {
    urgency: 'high',
    fires:
      'the standby site bucket has differed from the primary in two runs in a row: the standby would serve other content',
  },
  'live-release': {
    urgency: 'high',
    fires:
      'the live release differs between the regions (parameter, keys or ETags): a release was changed, deleted or not replicated',
  },
  certificates: {
    urgency: 'low',
    fires: `a region's certificate expires in under ${CERTIFICATE_MIN_DAYS} days (ACM failed to renew it) or is not issued`,
  },
  'recovery-point': {
    urgency: 'low',
    fires: "a region's backup vault holds no usable recovery point within the RPO",
  },
  'hosting-settings': {
    urgency: 'high',
    fires: "the two regions' API stages serve different releases or throttle differently",
  },
};

export interface ReadinessStackProps extends StackProps {
  /** The validated deployment config: names, regions and objectives the checks judge by. */
  readonly config: DrConfig;
  /** Routes each readiness alarm to the topic of its urgency. */
  readonly pager: AlarmPager;
  /**
   * The bundle holding the readiness handler.
   * @default - the playbooks' bundle (`playbookCode()`)
   */
  readonly code?: lambda.Code;
}

/**
 * Continuous readiness, in the standby region (the region that must take traffic, and that
 * survives the primary's loss): a Lambda named `readinessFunctionName` runs every check on a
 * schedule (and when the drill or an operator invokes it), publishes one metric per check, and one
 * alarm per check pages at the check's urgency with the readiness runbook. The role reads only,
 * scoped to this app's resources in both regions; it publishes metrics only into the assurance
 * namespace, not the traffic switch's.
 */
export class ReadinessStack extends Stack {
  readonly function: lambda.Function;
  readonly rule: events.Rule;
  readonly alarms: Record<ReadinessCheckName, cloudwatch.Alarm>;

  constructor(scope: Construct, id: string, props: ReadinessStackProps) {
    super(scope, id, props);
    const deployment = deploymentOf(props.config);
    const names = new Names(props.config);
    const regions = REGION_ROLES.map((r) => deployment.regions[r]);
    const arn = (service: string, region: string, resource: string) =>
      `arn:${this.partition}:${service}:${region}:${this.account}:${resource}`;
    const namespace = assuranceNamespace(deployment.appName);

    const healthCheckArns = `arn:${this.partition}:route53:::healthcheck/*`;
    const certificateArns = regions.map((r) => arn('acm', r, 'certificate/*'));
    const stageArns = regions.map((r) => `arn:${this.partition}:apigateway:${r}::/restapis/*/stages/${STAGE_NAME}`);
    const statements = [
      // No resource-level permissions on these three (IAM service authorization reference).
      new iam.PolicyStatement({ actions: ['route53:ListHealthChecks', 'acm:ListCertificates'], resources: ['*'] }),
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
      }),
      new iam.PolicyStatement({ actions: ['route53:GetHealthCheckStatus'], resources: [healthCheckArns] }),
      new iam.PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [arn('cloudwatch', deployment.trafficSwitch.region, `alarm:${deployment.trafficSwitch.alarmName}`)],
      }),
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: regions.flatMap((r) =>
          [deployment.parameters.siteBucket, deployment.parameters.liveRelease].map((p) =>
            arn('ssm', r, `parameter${p}`),
          ),
        ),
      }),
      // ListObjectsV2 is authorized by s3:ListBucket on the bucket: no object is read.
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: REGION_ROLES.map((r) => `arn:${this.partition}:s3:::${names.siteBucket(r)}`),
      }),
      new iam.PolicyStatement({ actions: ['acm:DescribeCertificate'], resources: certificateArns }),
      new iam.PolicyStatement({
        actions: ['backup:ListRecoveryPointsByBackupVault'],
        resources: regions.map((r) => arn('backup', r, `backup-vault:${deployment.backupVaultName}`)),
      }),
      new iam.PolicyStatement({
        actions: ['apigateway:GET'],
        resources: [
          ...REGION_ROLES.map(
            (r) =>
              `arn:${this.partition}:apigateway:${deployment.regions[r]}::/domainnames/${deployment.regionalHosts[r]}/basepathmappings`,
          ),
          ...stageArns,
        ],
      }),
    ];

    const readiness = new PlaybookFunction(this, 'Readiness', {
      playbook: 'readiness',
      functionName: readinessFunctionName(deployment.appName),
      description:
        'Readiness: can the standby take traffic now? Runs every check, publishes one metric each (read-only)',
      code: props.code ?? playbookCode(),
      deployment,
      // Each check gives up after 60 s (lambda/lib/readiness/runner.ts); they run at once.
      timeout: Duration.minutes(2),
      // One scheduled run and one on demand (the drill, an operator) at a time; more would only
      // repeat the same reads.
      reservedConcurrency: 2,
      statements,
      noDeadLetterQueueReason:
        'No dead-letter queue: the schedule invokes it every 15 minutes and a failed run is not worth replaying (the next run replaces it); a run that never reports leaves its metrics missing, which every readiness alarm treats as breaching.',
    });
    acknowledge(
      readiness.role,
      ['*', healthCheckArns, ...certificateArns, ...stageArns].map((r) => wildcardResourceFinding(readiness.role, r)),
      'Read-only but PutMetricData: route53:ListHealthChecks, acm:ListCertificates and cloudwatch:PutMetricData have no resource-level permissions (PutMetricData is limited by a condition to the assurance namespace); the health checks, certificates and REST APIs belong to other stacks and regions and are found by name at run time, so GetHealthCheckStatus, DescribeCertificate and GET on the "live" stages are allowed on those of this account.',
    );
    this.function = readiness.function;
    // A failed scheduled run is not retried by Lambda: the next one comes in 15 minutes.
    this.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: READINESS_SCHEDULE });

    this.rule = new events.Rule(this, 'Schedule', {
      description: `Run the readiness checks every ${READINESS_SCHEDULE.toMinutes()} minutes`,
      schedule: events.Schedule.rate(READINESS_SCHEDULE),
      targets: [
        // EventBridge retries a delivery Lambda throttles (its reserved concurrency is busy) for
        // at most the time to the next run.
        new targets.LambdaFunction(this.function, { retryAttempts: 3, maxEventAge: READINESS_SCHEDULE }),
      ],
    });

    this.alarms = {} as Record<ReadinessCheckName, cloudwatch.Alarm>;
    for (const check of READINESS_CHECKS) {
      const spec = READINESS_ALARMS[check];
      const alarm = new cloudwatch.Alarm(this, `${pascal(check)}Alarm`, {
        alarmName: names.alarm(`readiness-${check}`),
        alarmDescription: `Readiness check ${check} failed: ${spec.fires}. Also fires when the readiness Lambda stops reporting. Urgency: ${spec.urgency}. ${runbookReference('readiness')}`,
        metric: new cloudwatch.Metric({
          namespace,
          metricName: READINESS_METRIC,
          dimensionsMap: { [READINESS_CHECK_DIMENSION]: check },
          period: READINESS_ALARM_PERIOD,
          // Replication in flight (after a publish) fails one run; drift that lasts fails both.
          statistic: check === 'replication-drift' ? 'Minimum' : 'Maximum',
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // A readiness Lambda that stops running must not look ready.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      props.pager.page(alarm, spec.urgency);
      this.alarms[check] = alarm;
    }

    new CfnOutput(this, 'ReadinessFunctionName', { value: this.function.functionName });
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
