import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { RegionRole } from '../../lambda/contract/regions';
import { STAGE_NAME } from '../../lambda/contract/site';
import type { DrConfig } from '../config';
import { deploymentOf } from '../shared/deployment';
import { acknowledge, CHECKOV_REASONS, skipCheckov, wildcardResourceFinding } from '../shared/nag-acknowledgements';
import { Names } from '../shared/naming';
import { playbookCode } from './playbook-code';
import { PlaybookFunction, type PlaybookFunctionProps, type PlaybookName } from './playbook-function';
import { RestoreLoop } from './restore-loop';
import { LiveReleaseWatch } from './live-release-watch';
import type { AlarmPager } from '../shared/alarm-pager';

/**
 * The playbooks of this stack: every one but the readiness checks and the drill, which have stacks
 * of their own (lib/readiness/, lib/drill/), and the live-release watch, which an event invokes
 * (LiveReleaseWatch, also in this stack).
 */
export type RecoveryPlaybookName = Exclude<PlaybookName, 'readiness' | 'drill' | 'liveReleaseChanged'>;

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
  readonly siteBuckets: Record<RegionRole, string>;
  /** Pages the live-release watch's errors alarm through this region's paging stack. */
  readonly pager: AlarmPager;
}

/**
 * The recovery playbooks as Lambdas, in one region; deployed in both, so recovery runs from the
 * surviving region. Each playbook has a role with only what it needs; failover and failback have
 * no Route 53 permission at all. Restores too large for one invocation run in a Step Functions
 * loop that resumes each time from the checkpoint the previous invocation returned.
 */
export class RecoveryStack extends Stack {
  readonly playbooks: Record<RecoveryPlaybookName, PlaybookFunction>;
  readonly restoreMachine: sfn.StateMachine;
  readonly liveReleaseWatch: LiveReleaseWatch;

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

    const stageArns = bothRegions.map((r) => `arn:${this.partition}:apigateway:${r}::/restapis/*/stages/${STAGE_NAME}`);
    // Two flips of the switch must never interleave: each of failover and failback runs one at a time.
    const oneAtATime = 1;
    const switchWildcard = {
      resources: ['*'],
      reason:
        'cloudwatch:PutMetricData has no resource-level permissions; the statement is limited by a condition to the traffic-switch namespace.',
    };

    // Each playbook with what it may do and, next to it, why cdk-nag's wildcard findings on its
    // role are acceptable.
    const table: Record<RecoveryPlaybookName, PlaybookSpec> = {
      status: {
        description: 'DR status: serving region, health, switch, replication lag, recovery points (read-only)',
        timeout: Duration.minutes(1),
        statements: [
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
        wildcards: {
          resources: ['*', `arn:${this.partition}:route53:::healthcheck/*`],
          reason:
            'Read-only: cloudwatch:GetMetricStatistics and route53:ListHealthChecks have no resource-level permissions; health-check ids live in another stack and region, so GetHealthCheckStatus is allowed on health checks of this account.',
        },
      },
      failover: {
        description: 'Force traffic to the standby through the data-plane traffic switch (no Route 53 call)',
        timeout: Duration.minutes(6),
        statements: [readSwitch, writeSwitch],
        reservedConcurrency: oneAtATime,
        wildcards: switchWildcard,
      },
      failback: {
        description: 'Send traffic back to a healthy, in-sync primary through the traffic switch',
        timeout: Duration.minutes(10),
        statements: [readSwitch, writeSwitch, readBucketParams, listBuckets],
        reservedConcurrency: oneAtATime,
        wildcards: switchWildcard,
      },
      restore: {
        description: 'Point-in-time restore of a site bucket, in place; pauses with a checkpoint',
        timeout: Duration.minutes(15),
        statements: [
          readBucketParams,
          listBuckets,
          copyObjects,
          new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: objects }),
          neverDeleteVersions,
        ],
        wildcards: {
          resources: objects,
          reason:
            'Restores work on any key of the two site buckets, and only of those; deleting object versions is explicitly denied.',
        },
      },
      verifyReplicationHandler: {
        description: 'Compare the primary site bucket with its replica; with apply, copy what is missing',
        timeout: Duration.minutes(15),
        statements: [readBucketParams, listBuckets, readObjects, repairReplica, neverDeleteVersions],
        wildcards: {
          resources: objects,
          reason:
            'verify-replication reads any key of the two site buckets and, with apply, writes only keys of the replica (standby) bucket; deleting object versions is explicitly denied.',
        },
      },
      rollbackRelease: {
        description: 'Switch the live site release in both regions and validate it',
        timeout: Duration.minutes(3),
        statements: [
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
              ...stageArns,
            ],
          }),
          // The API ids live in the hosting stacks of both regions, so the grant names the stage
          // and requires this app's tag (set on each API by the hosting stack; stages inherit
          // it for access control). IAM has no condition key for a PATCH's operations: the
          // role can change any setting of those two stages, not only the release variable.
          new iam.PolicyStatement({
            actions: ['apigateway:PATCH'],
            resources: stageArns,
            conditions: { StringEquals: { [`aws:ResourceTag/${siteApiTag.key}`]: siteApiTag.value } },
          }),
        ],
        wildcards: {
          resources: stageArns,
          reason:
            'The REST API ids live in the hosting stacks of both regions: GET reads any "live" stage (read-only); PATCH is limited to "live" stages tagged as this app\'s site API. IAM cannot limit a PATCH to the release variable, so the role could also change those stages\' deployment, canary and throttling settings.',
        },
      },
    };

    const code = playbookCode();
    const build = (playbook: RecoveryPlaybookName): PlaybookFunction => {
      const { wildcards, ...spec } = table[playbook];
      const fn = new PlaybookFunction(this, capitalize(playbook), { playbook, code, deployment, ...spec });
      if (wildcards) {
        acknowledge(
          fn.role,
          wildcards.resources.map((r) => wildcardResourceFinding(fn.role, r)),
          wildcards.reason,
        );
      }
      return fn;
    };
    this.playbooks = {
      status: build('status'),
      failover: build('failover'),
      failback: build('failback'),
      restore: build('restore'),
      verifyReplicationHandler: build('verifyReplicationHandler'),
      rollbackRelease: build('rollbackRelease'),
    };

    // Created here, not inside RestoreLoop, so that this retained log group keeps its logical id.
    const restoreLoopLogs = new logs.LogGroup(this, 'RestoreLoopLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(restoreLoopLogs, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);
    this.restoreMachine = new RestoreLoop(this, 'RestoreLoop', {
      restoreFunction: this.playbooks.restore.function,
      logGroup: restoreLoopLogs,
    }).stateMachine;

    // The "live release changed" early warning for this region's site bucket.
    const names = new Names(props.config);
    this.liveReleaseWatch = new LiveReleaseWatch(this, 'LiveReleaseWatch', {
      bucketName: props.siteBuckets[props.role],
      deployment,
      code,
      topicName: names.pagingTopic('high'),
      pager: props.pager,
      alarmName: names.alarm(`release-watch-failed-${props.role}`),
      docsBaseUrl: props.config.paging?.docsBaseUrl,
    });

    // docs/runbooks/live-release-changed.md reads the watch's log group through its function.
    new CfnOutput(this, 'LiveReleaseWatchFunctionName', { value: this.liveReleaseWatch.function.functionName });
    new CfnOutput(this, 'RestoreStateMachineArn', { value: this.restoreMachine.stateMachineArn });
    for (const [name, p] of Object.entries(this.playbooks)) {
      new CfnOutput(this, `${capitalize(name)}FunctionName`, { value: p.function.functionName });
    }
  }
}

/**
 * One row of the playbook table: the function's settings and its role's statements, with the
 * acknowledgement of the wildcard resources among them (cdk-nag AwsSolutions-IAM5).
 */
interface PlaybookSpec extends Pick<
  PlaybookFunctionProps,
  'description' | 'timeout' | 'statements' | 'reservedConcurrency'
> {
  /** Wildcard resources of `statements`, acknowledged on this playbook's role with the reason. */
  readonly wildcards?: { readonly resources: readonly string[]; readonly reason: string };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
