import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { Role } from '../../lambda/lib/deployment';
import type { DrConfig } from '../config';
import { STAGE_NAME } from '../hosting/static-site-api';
import { deploymentOf } from '../shared/deployment';
import { acknowledge, CHECKOV_REASONS, skipCheckov, wildcardResourceFinding } from '../shared/nag-acknowledgements';
import { Names, type RegionRole } from '../shared/naming';
import { PlaybookFunction, type PlaybookName } from './playbook-function';
import { playbookCode } from './playbook-code';

export interface RecoveryStackProps extends StackProps {
  /**
   * The validated deployment config (lib/config.ts, `loadConfig`): the playbooks' deployment
   * descriptor (names, regions, parameters, the switch metric) is derived from it.
   */
  readonly config: DrConfig;
  /**
   * The region these playbooks run in. Both regions get the same playbooks, so recovery runs from
   * whichever region survives; the role only picks the region and the names.
   */
  readonly role: RegionRole;
  /** Both regions' site bucket names: playbooks in either region work on both. */
  readonly siteBuckets: Record<Role, string>;
}

/**
 * The recovery playbooks as Lambdas, in one region; deployed in both, so recovery runs from the
 * surviving region. Each playbook has a role with only what it needs; failover and failback have
 * no Route 53 permission at all. Restores too large for one invocation run in a Step Functions
 * loop that resumes each time from the checkpoint the previous invocation returned.
 */
export class RecoveryStack extends Stack {
  readonly playbooks: Record<PlaybookName, PlaybookFunction>;
  readonly restoreMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RecoveryStackProps) {
    super(scope, id, props);
    const deployment = deploymentOf(props.config);
    const { regions } = deployment;
    const arn = (service: string, region: string, resource: string) =>
      `arn:${this.partition}:${service}:${region}:${this.account}:${resource}`;
    const bothRegions = [regions.primary, regions.standby];
    const buckets = (['primary', 'standby'] as const).map((r) =>
      s3.Bucket.fromBucketName(this, `${capitalize(r)}SiteBucket`, props.siteBuckets[r]),
    );

    const switchAlarm = arn(
      'cloudwatch',
      deployment.trafficSwitch.region,
      `alarm:${deployment.trafficSwitch.alarmName}`,
    );
    const readSwitch = new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: [switchAlarm] });
    const writeSwitch = new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': deployment.trafficSwitch.namespace } },
    });
    const readBucketParams = new iam.PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: bothRegions.map((r) => arn('ssm', r, `parameter${deployment.parameters.siteBucket}`)),
    });
    const listBuckets = new iam.PolicyStatement({
      // GetLifecycleConfiguration: the restore refuses instants older than replaced versions are kept.
      actions: ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketVersioning', 's3:GetLifecycleConfiguration'],
      resources: buckets.map((b) => b.bucketArn),
    });
    const objects = buckets.map((b) => b.arnForObjects('*'));
    const copyObjects = new iam.PolicyStatement({
      actions: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:GetObjectTagging',
        's3:GetObjectVersionTagging',
        's3:PutObject',
        's3:PutObjectTagging',
        's3:AbortMultipartUpload',
      ],
      resources: objects,
    });
    // verify-replication reads both buckets; with --apply it writes only the replica, one
    // CopyObject per missing key (MetadataDirective and TaggingDirective COPY read the source's tags).
    const readObjects = new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:GetObjectTagging'],
      resources: objects,
    });
    const repairReplica = new iam.PolicyStatement({
      actions: ['s3:PutObject', 's3:PutObjectTagging'],
      resources: [buckets[1].arnForObjects('*')],
    });
    const siteApiTag = new Names(props.config).siteApiTag;
    // Playbooks never delete history: delete markers only, never a version.
    const neverDeleteVersions = new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['s3:DeleteObjectVersion', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning'],
      resources: [...buckets.map((b) => b.bucketArn), ...objects],
    });

    const code = playbookCode();
    const make = (
      playbook: PlaybookName,
      description: string,
      timeout: Duration,
      statements: iam.PolicyStatement[],
      reservedConcurrency?: number,
    ) =>
      new PlaybookFunction(this, capitalize(playbook), {
        playbook,
        description,
        code,
        deployment,
        timeout,
        statements,
        reservedConcurrency,
      });
    // Two flips of the switch must never interleave: each of failover and failback runs one at a time.
    const oneAtATime = 1;

    this.playbooks = {
      status: make(
        'status',
        'DR status: serving region, health, switch, replication lag, recovery points (read-only)',
        Duration.minutes(1),
        [
          readSwitch,
          readBucketParams,
          new iam.PolicyStatement({
            actions: ['cloudwatch:GetMetricStatistics', 'route53:ListHealthChecks'],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            actions: ['route53:GetHealthCheckStatus'],
            resources: [`arn:${this.partition}:route53:::healthcheck/*`],
          }),
          new iam.PolicyStatement({
            actions: ['backup:ListRecoveryPointsByBackupVault'],
            resources: bothRegions.map((r) => arn('backup', r, `backup-vault:${deployment.backupVaultName}`)),
          }),
        ],
      ),
      failover: make(
        'failover',
        'Force traffic to the standby through the data-plane traffic switch (no Route 53 call)',
        Duration.minutes(6),
        [readSwitch, writeSwitch],
        oneAtATime,
      ),
      failback: make(
        'failback',
        'Send traffic back to a healthy, in-sync primary through the traffic switch',
        Duration.minutes(10),
        [readSwitch, writeSwitch, readBucketParams, listBuckets],
        oneAtATime,
      ),
      restore: make(
        'restore',
        'Point-in-time restore of a site bucket, in place; pauses with a checkpoint',
        Duration.minutes(15),
        [
          readBucketParams,
          listBuckets,
          copyObjects,
          new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: objects }),
          neverDeleteVersions,
        ],
      ),
      verifyReplicationHandler: make(
        'verifyReplicationHandler',
        'Compare the primary site bucket with its replica; with apply, copy what is missing',
        Duration.minutes(15),
        [readBucketParams, listBuckets, readObjects, repairReplica, neverDeleteVersions],
      ),
      rollbackRelease: make(
        'rollbackRelease',
        'Switch the live site release in both regions and validate it',
        Duration.minutes(3),
        [
          readBucketParams,
          listBuckets,
          new iam.PolicyStatement({
            actions: ['ssm:GetParameter', 'ssm:GetParameterHistory', 'ssm:PutParameter'],
            resources: bothRegions.map((r) => arn('ssm', r, `parameter${deployment.parameters.liveRelease}`)),
          }),
          new iam.PolicyStatement({
            actions: ['apigateway:GET'],
            resources: [
              ...(['primary', 'standby'] as const).map(
                (r) =>
                  `arn:${this.partition}:apigateway:${regions[r]}::/domainnames/${deployment.regionalHosts[r]}/basepathmappings`,
              ),
              // The stage's current release variable, compared before switching.
              ...bothRegions.map((r) => `arn:${this.partition}:apigateway:${r}::/restapis/*/stages/${STAGE_NAME}`),
            ],
          }),
          // The API ids live in the hosting stacks of both regions, so the grant names the stage
          // and requires this app's tag (set on each API by the hosting stack; stages inherit
          // it for access control). IAM has no condition key for a PATCH's operations: the
          // role can change any setting of those two stages, not only the release variable.
          new iam.PolicyStatement({
            actions: ['apigateway:PATCH'],
            resources: bothRegions.map(
              (r) => `arn:${this.partition}:apigateway:${r}::/restapis/*/stages/${STAGE_NAME}`,
            ),
            conditions: { StringEquals: { [`aws:ResourceTag/${siteApiTag.key}`]: siteApiTag.value } },
          }),
        ],
      ),
    };
    this.acknowledgeWildcards(buckets, bothRegions);

    this.restoreMachine = this.restoreLoop();

    new CfnOutput(this, 'RestoreStateMachineArn', { value: this.restoreMachine.stateMachineArn });
    for (const [name, p] of Object.entries(this.playbooks)) {
      new CfnOutput(this, `${capitalize(name)}FunctionName`, { value: p.function.functionName });
    }
  }

  /**
   * Invoke the restore; while it answers "paused", invoke it again from its checkpoint. The
   * Lambda's output is the state (payloadResponseOnly: no Payload/StatusCode envelope) and is kept
   * far below Step Functions' 256 KiB limit (see restoreOutput in lambda/handlers/index.ts). The
   * execution succeeds only on "done" with no failed key; failures of earlier iterations are
   * counted in `totals.failed`, carried by the checkpoint.
   */
  private restoreLoop(): sfn.StateMachine {
    const step = new tasks.LambdaInvoke(this, 'RestoreStep', {
      lambdaFunction: this.playbooks.restore.function,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    const definition = step.next(
      new sfn.Choice(this, 'Paused?')
        .when(
          sfn.Condition.stringEquals('$.status', 'paused'),
          new sfn.Pass(this, 'ResumeFromCheckpoint', { outputPath: '$.next' }).next(step),
        )
        .when(
          sfn.Condition.and(
            sfn.Condition.stringEquals('$.status', 'done'),
            sfn.Condition.numberEquals('$.totals.failed', 0),
          ),
          new sfn.Succeed(this, 'Restored'),
        )
        .otherwise(
          new sfn.Fail(this, 'SomeKeysFailed', {
            error: 'RestoreFailed',
            causePath: sfn.JsonPath.format(
              'The restore ended "{}" with {} failed key(s); the RestoreStep output lists the first ones. Run the restore again to finish.',
              sfn.JsonPath.stringAt('$.status'),
              sfn.JsonPath.stringAt('$.totals.failed'),
            ),
          }),
        ),
    );
    const restoreLoopLogs = new logs.LogGroup(this, 'RestoreLoopLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(restoreLoopLogs, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);
    const machine = new sfn.StateMachine(this, 'RestoreLoop', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(24),
      tracingEnabled: true,
      logs: {
        destination: restoreLoopLogs,
        level: sfn.LogLevel.ALL,
      },
    });
    acknowledge(
      machine.role,
      [
        wildcardResourceFinding(machine.role, `${this.playbooks.restore.function.functionArn}:*`),
        wildcardResourceFinding(machine.role, '*'),
      ],
      'Written by aws-cdk-lib for the state machine: invoke any version of the restore function only; X-Ray, and the CloudWatch Logs delivery actions (logs:*LogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) that the Step Functions guide lists for logging to CloudWatch Logs, which support no resource-level permissions.',
    );
    return machine;
  }

  private acknowledgeWildcards(buckets: s3.IBucket[], bothRegions: string[]): void {
    const p = this.playbooks;
    const objects = buckets.map((b) => b.arnForObjects('*'));
    const objectFindings = (role: iam.Role) => objects.map((o) => wildcardResourceFinding(role, o));
    acknowledge(
      p.status.role,
      [
        wildcardResourceFinding(p.status.role, '*'),
        wildcardResourceFinding(p.status.role, `arn:${this.partition}:route53:::healthcheck/*`),
      ],
      'Read-only: cloudwatch:GetMetricStatistics and route53:ListHealthChecks have no resource-level permissions; health-check ids live in another stack and region, so GetHealthCheckStatus is allowed on health checks of this account.',
    );
    for (const role of [p.failover.role, p.failback.role]) {
      acknowledge(
        role,
        [wildcardResourceFinding(role, '*')],
        'cloudwatch:PutMetricData has no resource-level permissions; the statement is limited by a condition to the traffic-switch namespace.',
      );
    }
    acknowledge(
      p.restore.role,
      objectFindings(p.restore.role),
      'Restores work on any key of the two site buckets, and only of those; deleting object versions is explicitly denied.',
    );
    acknowledge(
      p.verifyReplicationHandler.role,
      objectFindings(p.verifyReplicationHandler.role),
      'verify-replication reads any key of the two site buckets and, with apply, writes only keys of the replica (standby) bucket; deleting object versions is explicitly denied.',
    );
    acknowledge(
      p.rollbackRelease.role,
      bothRegions.map((r) =>
        wildcardResourceFinding(
          p.rollbackRelease.role,
          `arn:${this.partition}:apigateway:${r}::/restapis/*/stages/${STAGE_NAME}`,
        ),
      ),
      'The REST API ids live in the hosting stacks of both regions: GET reads any "live" stage (read-only); PATCH is limited to "live" stages tagged as this app\'s site API. IAM cannot limit a PATCH to the release variable, so the role could also change those stages\' deployment, canary and throttling settings.',
    );
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
