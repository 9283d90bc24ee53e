import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { assuranceNamespace, readinessFunctionName } from '../../lambda/contract/assurance';
import type { RegionRole } from '../../lambda/contract/regions';
import { DRILL_PREFIX, DRILL_REPORT_BUCKET_ENV, type DrillStepName, REPORT_PREFIX } from '../../lambda/contract/drill';
import type { DrConfig } from '../config';
import { playbookCode } from '../recovery/playbook-code';
import { PlaybookFunction } from '../recovery/playbook-function';
import type { AlarmPager } from '../shared/alarm-pager';
import { deploymentOf } from '../shared/deployment';
import { acknowledge, CHECKOV_REASONS, skipCheckov, wildcardResourceFinding } from '../shared/nag-acknowledgements';
import { Names } from '../shared/naming';
import { runbookReference } from '../shared/runbooks';
import { SECURE_BUCKET_DEFAULTS } from '../shared/secure-bucket';

export interface DrillStackProps extends StackProps {
  /** The validated deployment config (lib/config.ts): names, regions, objectives. */
  readonly config: DrConfig;
  /** Both regions' site bucket names: the marker is written in the primary and read in the standby. */
  readonly siteBuckets: Record<RegionRole, string>;
  /** Routes the drill-failed alarm to the paging topic of its urgency (lib/paging/topic-pager.ts). */
  readonly pager: AlarmPager;
  /**
   * The playbook bundle (tests pass a small inline one).
   * @default playbookCode()
   */
  readonly code?: lambda.Code;
}

/**
 * The game-day drill (issue 10, section 4): a Step Functions workflow in the standby region that
 * checks readiness, forces failover, measures the time until the site's name serves the live
 * release from the standby (RTO) and the time a marker object takes to replicate (RPO), fails
 * back, validates the failback as it validated the failover (the site's name serving the live
 * release from the primary, Route 53 healthy, within the RTO target), and writes a report to its
 * bucket and as metrics. Every step up to the failback catches to `Abort`, which fails back when
 * the failover was attempted; either failback is validated by `PollPrimary`; `Finish` reports and
 * a failed drill ends in a Fail state. A failed (or timed-out) execution raises the drill-failed
 * alarm at high urgency.
 *
 * Paging on the execution's failure rather than on DrillPassed = 0: it covers every way a drill
 * can end badly, including the drill Lambda crashing before it could publish a metric, and an
 * alarm on a metric published once per drill would have to treat months of missing data.
 */
export class DrillStack extends Stack {
  readonly stateMachine: sfn.StateMachine;
  readonly reportBucket: s3.Bucket;
  readonly drillFunction: lambda.Function;
  readonly failedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DrillStackProps) {
    // Termination protection: the report bucket is retained history (the DR rule
    // StatefulResourcesRetained asks for both).
    super(scope, id, { terminationProtection: true, ...props });
    const names = new Names(props.config);
    const deployment = deploymentOf(props.config);
    const { regions } = deployment;
    const arn = (service: string, region: string, resource: string) =>
      `arn:${this.partition}:${service}:${region}:${this.account}:${resource}`;
    const site = (role: RegionRole) => s3.Bucket.fromBucketName(this, `${role}SiteBucket`, props.siteBuckets[role]);
    const primary = site('primary');
    const standby = site('standby');

    this.reportBucket = new s3.Bucket(this, 'Reports', { ...SECURE_BUCKET_DEFAULTS, versioned: true });
    const accessLogsReason =
      'Drill reports only: written by the drill role (PutObject under drills/, never deleted: the role has no delete grant and the bucket is versioned and retained), read by operators; server access logs would need a second bucket for a few writes a quarter.';
    acknowledge(this.reportBucket, ['AwsSolutions-S1'], accessLogsReason);
    skipCheckov(this.reportBucket, ['CKV_AWS_18'], accessLogsReason);

    const statements = [
      new iam.PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [arn('cloudwatch', deployment.trafficSwitch.region, `alarm:${deployment.trafficSwitch.alarmName}`)],
      }),
      // The switch metric and the drill metrics share the app's DR namespace.
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData', 'route53:ListHealthChecks'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'cloudwatch:namespace': [
              ...new Set([deployment.trafficSwitch.namespace, assuranceNamespace(deployment.appName)]),
            ],
          },
        },
      }),
      new iam.PolicyStatement({
        actions: ['route53:GetHealthCheckStatus'],
        resources: [`arn:${this.partition}:route53:::healthcheck/*`],
      }),
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [regions.primary, regions.standby].flatMap((r) =>
          [deployment.parameters.siteBucket, deployment.parameters.liveRelease].map((p) =>
            arn('ssm', r, `parameter${p}`),
          ),
        ),
      }),
      // Failback's validation lists both site buckets; a HeadObject of a missing key answers 404
      // (not 403) only with ListBucket.
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [primary.bucketArn, standby.bucketArn] }),
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [primary.arnForObjects(`${DRILL_PREFIX}*`)] }),
      // HeadObject with a VersionId needs GetObjectVersion.
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [standby.arnForObjects(`${DRILL_PREFIX}*`)],
      }),
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.reportBucket.arnForObjects(`${REPORT_PREFIX}*`)],
      }),
    ];
    const fn = new PlaybookFunction(this, 'Drill', {
      playbook: 'drill',
      description: 'Game-day drill steps: failover, measure RTO and RPO, fail back, report',
      code: props.code ?? playbookCode(),
      deployment,
      // failover and failback wait up to 300 s for the switch alarm, failback first up to one period.
      timeout: Duration.minutes(10),
      statements,
      // One drill at a time: a second execution's steps wait (throttled, retried) instead of interleaving.
      reservedConcurrency: 1,
      environment: { [DRILL_REPORT_BUCKET_ENV]: this.reportBucket.bucketName },
    });
    this.drillFunction = fn.function;
    acknowledge(
      fn.role,
      [
        wildcardResourceFinding(fn.role, '*'),
        wildcardResourceFinding(fn.role, `arn:${this.partition}:route53:::healthcheck/*`),
        wildcardResourceFinding(fn.role, primary.arnForObjects(`${DRILL_PREFIX}*`)),
        wildcardResourceFinding(fn.role, standby.arnForObjects(`${DRILL_PREFIX}*`)),
        wildcardResourceFinding(fn.role, this.reportBucket.arnForObjects(`${REPORT_PREFIX}*`)),
      ],
      'cloudwatch:PutMetricData and route53:ListHealthChecks have no resource-level permissions (PutMetricData is limited to the app DR namespace by a condition); health-check ids live in the global stack, so GetHealthCheckStatus is on health checks of this account; S3 grants are limited to the drill marker prefix of the site buckets and the report prefix of the report bucket.',
    );

    // Lambda's transient service errors (a 500 from the Invoke API: the function may or may not have
    // run) are retried as the Step Functions guide advises
    // (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html), except
    // on the failover step: a failover that wrote the switch and is then retried finds the switch in
    // the failover position and would refuse the drill (DrillRefused), whose abort fails nothing
    // back. Its service errors go to Abort instead, which fails back. A throttle
    // (Lambda.TooManyRequestsException, not in that list) means the function did not run, so every
    // task retries it: the drill function has a reserved concurrency of 1, and the retries span more
    // than its 10-minute timeout, so a step waits out another execution's step.
    const retryThrottles = (task: tasks.LambdaInvoke) =>
      task.addRetry({
        errors: ['Lambda.TooManyRequestsException'],
        interval: Duration.seconds(10),
        maxAttempts: 6,
        backoffRate: 2,
      });
    const retryServiceErrors = (task: tasks.LambdaInvoke) =>
      task.addRetry({
        errors: [
          'Lambda.ClientExecutionTimeoutException',
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
        ],
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
      });
    const step = (name: DrillStepName, id: string) => {
      const task = new tasks.LambdaInvoke(this, id, {
        lambdaFunction: this.drillFunction,
        payload: sfn.TaskInput.fromObject({ step: name, drill: sfn.JsonPath.entirePayload }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
      });
      retryThrottles(task);
      if (name !== 'failover') retryServiceErrors(task);
      return task;
    };
    const abort = step('abort', 'Abort');
    const catchToAbort = (task: tasks.LambdaInvoke) => task.addCatch(abort, { resultPath: '$.failure' });

    // The reply is stored as it came; the failover step accepts it or refuses (readiness-gate.ts).
    // No Choice on `$.readiness.ready`: a reply without that field would fail the execution with
    // States.Runtime, past every Catch, and without a report.
    const readiness = new tasks.LambdaInvoke(this, 'Readiness', {
      lambdaFunction: lambda.Function.fromFunctionName(
        this,
        'ReadinessFunction',
        readinessFunctionName(props.config.appName),
      ),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      resultPath: '$.readiness',
    });
    retryThrottles(readiness);
    retryServiceErrors(readiness);
    catchToAbort(readiness);
    const failover = catchToAbort(step('failover', 'Failover'));
    const pollStandby = catchToAbort(step('pollStandby', 'PollStandby'));
    const writeMarker = catchToAbort(step('writeMarker', 'WriteMarker'));
    const pollMarker = catchToAbort(step('pollMarker', 'PollMarker'));
    const failback = catchToAbort(step('failback', 'Failback'));
    const finish = step('finish', 'Finish');
    // After either failback (the drill's or the abort's): a failback that does not validate in time
    // goes to Finish with `$.failbackError`, which reports it unvalidated and ends in FailbackFailed.
    const pollPrimary = step('pollPrimary', 'PollPrimary').addCatch(finish, { resultPath: '$.failbackError' });
    const wait = (id: string) => new sfn.Wait(this, id, { time: sfn.WaitTime.secondsPath('$.pollSeconds') });
    const failedBackStates = ['done', 'already'].map((s) => sfn.Condition.stringEquals('$.failback.status', s));

    const drillFailed = new sfn.Fail(this, 'DrillFailed', {
      error: 'DrillFailed',
      causePath: sfn.JsonPath.format(
        'The drill failed ({}); traffic is on the primary (failback {}); the report is s3://{}/{}',
        sfn.JsonPath.stringAt('$.drillId'),
        sfn.JsonPath.stringAt('$.failback.status'),
        sfn.JsonPath.stringAt('$.location.bucket'),
        sfn.JsonPath.stringAt('$.location.markdown'),
      ),
    });
    const failbackFailed = new sfn.Fail(this, 'FailbackFailed', {
      error: 'FailbackFailed',
      causePath: sfn.JsonPath.format(
        'The drill failed and its failback did not complete ({}: {}): traffic may still be on the standby; see docs/runbooks/drill.md',
        sfn.JsonPath.stringAt('$.failback.status'),
        sfn.JsonPath.stringAt('$.failback.message'),
      ),
    });
    abort.addCatch(
      new sfn.Fail(this, 'AbortFailed', {
        error: 'AbortFailed',
        cause:
          'The drill failed and so did its abort (failback): check the switch with drctl status; see docs/runbooks/drill.md',
      }),
    );
    abort.next(
      new sfn.Choice(this, 'FailbackToValidate?')
        .when(sfn.Condition.or(...failedBackStates), pollPrimary)
        .otherwise(finish),
    );

    const definition = step('start', 'Start').next(readiness).next(failover);
    failover.next(pollStandby);
    pollStandby.next(
      new sfn.Choice(this, 'ServedByStandby?')
        .when(sfn.Condition.booleanEquals('$.recovery.done', true), writeMarker)
        .otherwise(wait('WaitForStandby').next(pollStandby)),
    );
    writeMarker.next(pollMarker);
    pollMarker.next(
      new sfn.Choice(this, 'MarkerArrived?')
        .when(sfn.Condition.booleanEquals('$.replication.done', true), failback)
        .otherwise(wait('WaitForMarker').next(pollMarker)),
    );
    failback.next(pollPrimary);
    pollPrimary.next(
      new sfn.Choice(this, 'ServedByPrimary?')
        .when(sfn.Condition.booleanEquals('$.primary.done', true), finish)
        .otherwise(wait('WaitForPrimary').next(pollPrimary)),
    );
    finish.next(
      new sfn.Choice(this, 'Passed?')
        .when(sfn.Condition.booleanEquals('$.passed', true), new sfn.Succeed(this, 'DrillPassed'))
        .otherwise(
          new sfn.Choice(this, 'FailedBack?')
            .when(
              sfn.Condition.or(...failedBackStates, sfn.Condition.stringEquals('$.failback.status', 'not-needed')),
              drillFailed,
            )
            .otherwise(failbackFailed),
        ),
    );

    const logGroup = new logs.LogGroup(this, 'DrillMachineLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(logGroup, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);
    this.stateMachine = new sfn.StateMachine(this, 'DrillMachine', {
      stateMachineName: names.drillStateMachine,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      // The three polls end at their targets (the standby's and the primary's at the RTO, the
      // marker's at the RPO); the switch waits and the failback's period wait add minutes.
      timeout: Duration.seconds(2 * deployment.rtoMinutes * 60 + deployment.rpoMinutes * 60 + 3600),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL },
    });
    const role = this.stateMachine.role;
    acknowledge(
      role,
      [
        wildcardResourceFinding(role, `${this.drillFunction.functionArn}:*`),
        wildcardResourceFinding(
          role,
          `${arn('lambda', this.region, `function:${readinessFunctionName(props.config.appName)}`)}:*`,
        ),
        wildcardResourceFinding(role, '*'),
      ],
      'Written by aws-cdk-lib for the state machine: invoke any version of the drill function and of the readiness function only; X-Ray, and the CloudWatch Logs delivery actions that the Step Functions guide lists for logging to CloudWatch Logs, which support no resource-level permissions.',
    );

    const period = Duration.minutes(5);
    this.failedAlarm = new cloudwatch.Alarm(this, 'DrillFailedAlarm', {
      alarmName: names.alarm('drill-failed'),
      alarmDescription: `A game-day drill failed or timed out: traffic may still be on the standby. ${runbookReference('drill')}`,
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0)',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period, statistic: 'Sum' }),
          timedOut: this.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
        },
        period,
        label: 'drill executions failed or timed out',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No drill, no data: nothing to page about.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    props.pager.page(this.failedAlarm, 'high');

    new CfnOutput(this, 'DrillStateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'DrillReportBucketName', { value: this.reportBucket.bucketName });
  }
}
