import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Deployment } from '../../lambda/contract/deployment';
import { PLAYBOOK_RUNTIME } from './playbook-code';
import { acknowledge, CHECKOV_REASONS, skipCheckov, wildcardResourceFinding } from '../shared/nag-acknowledgements';

/** Names of the playbooks, as exported by lambda/handlers/index.ts. */
export type PlaybookName =
  | 'status'
  | 'failover'
  | 'failback'
  | 'restore'
  | 'verifyReplicationHandler'
  | 'rollbackRelease'
  | 'readiness'
  | 'drill'
  | 'liveReleaseChanged';

/** CloudFormation metadata key marking a function as a recovery playbook (read by the DR rules). */
export const PLAYBOOK_METADATA = 'PortfolioDrPlaybook';

export interface PlaybookFunctionProps {
  /** The handler, exported under this name by lambda/handlers/index.ts: the function runs `index.<playbook>`. */
  readonly playbook: PlaybookName;
  /** The function's description, shown in the Lambda console and `aws lambda get-function`. */
  readonly description: string;
  /** The bundle holding every playbook's handler (`playbookCode()`), shared by all playbook functions. */
  readonly code: lambda.Code;
  /**
   * What the playbook works on (names, regions, parameters), passed to the handler as the
   * `DR_DEPLOYMENT` environment variable (JSON).
   */
  readonly deployment: Deployment;
  /** How long one invocation may run; a restore pauses before it and carries on from its checkpoint. */
  readonly timeout: Duration;
  /** What the playbook may do, and nothing else. */
  readonly statements: iam.PolicyStatement[];
  /**
   * Concurrent executions reserved for the function, which are also its ceiling: 1 makes a second
   * invocation wait its turn (throttled) instead of interleaving with a running one. Reserving takes
   * from the account's pool, and Lambda keeps at least 100 unreserved: an account whose concurrency
   * quota is the new-account 10 cannot deploy a reservation at all.
   * @default - no reservation: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;
  /**
   * A fixed function name, for a function other code invokes by name (the drill invokes the
   * readiness function by `readinessFunctionName`).
   * @default - a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * Why the function needs no dead-letter queue (checkov CKV_AWS_116), for a function that an event
   * invokes asynchronously.
   * @default - the playbooks' reason: invoked synchronously only
   */
  readonly noDeadLetterQueueReason?: string;
  /**
   * More environment variables for the handler (names only, no secret: the environment is
   * encrypted with an AWS-managed key).
   * @default - DR_DEPLOYMENT and the Node.js settings only
   */
  readonly environment?: Record<string, string>;
}

/**
 * A playbook Lambda with the settings every playbook shares (runtime, architecture, memory, log
 * retention, X-Ray active tracing of its invocations, the deployment descriptor) and a role of its
 * own holding exactly the given statements, plus write access to its own log group and X-Ray.
 */
export class PlaybookFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PlaybookFunctionProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Recovery playbook ${props.playbook}: least privilege`,
    });
    for (const statement of props.statements) this.role.addToPolicy(statement);

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The function writes to this log group only: logs:CreateLogStream and logs:PutLogEvents on it
    // (its Arn ends in ":*", which covers its log streams), instead of AWSLambdaBasicExecutionRole,
    // which allows those and logs:CreateLogGroup on every log group of the account. Lambda needs
    // CreateLogGroup only when the group does not exist; this one is created (and retained) by the
    // stack. https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      code: props.code,
      handler: `index.${props.playbook}`,
      runtime: PLAYBOOK_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        DR_DEPLOYMENT: JSON.stringify(props.deployment),
        NODE_OPTIONS: '--enable-source-maps',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...props.environment,
      },
    });
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(PLAYBOOK_METADATA, {
      playbook: props.playbook,
      region: Stack.of(this).region,
    });
    // Active tracing: Lambda sends X-Ray a segment per sampled invocation with its initialization,
    // invocation and overhead timing; billed per trace, so nothing while idle. The AWS calls a
    // playbook makes are not traced: that needs the X-Ray SDK or OpenTelemetry in the bundle
    // (https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html); the playbook's own
    // timeline records them. Set on the L1 with the grant in a policy of its own (the L2 `tracing` prop would put it in the
    // role's default policy, under the same cdk-nag finding as the playbook's own wildcard grants).
    (this.function.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: lambda.Tracing.ACTIVE };
    const tracing = new iam.Policy(this, 'Tracing', {
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
      ],
    });
    // Lambda refuses active tracing on a role that cannot write traces: create the grant first.
    this.function.node.addDependency(tracing);
    acknowledge(
      tracing,
      [wildcardResourceFinding(tracing, '*')],
      'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, so they are granted on "*".',
    );
    skipCheckov(
      this.function,
      ['CKV_AWS_116'],
      props.noDeadLetterQueueReason ??
        'No dead-letter queue: playbooks are invoked synchronously (drctl, the restore state machine), never by an event; the caller gets every error, and a DLQ only receives failed asynchronous invocations.',
    );
    skipCheckov(
      this.function,
      ['CKV_AWS_117'],
      'No VPC: a playbook calls only public AWS APIs (CloudWatch, S3, SSM, Route 53, Backup, API Gateway) and reaches nothing private; a VPC would need a NAT gateway or one interface endpoint per service (each billed hourly in every AZ) and adds a network failure mode to the recovery path.',
    );
    skipCheckov(
      this.function,
      ['CKV_AWS_173'],
      'The environment holds no secret (the deployment descriptor: names, regions, ARNs; NODE_OPTIONS) and Lambda encrypts it at rest with an AWS-managed key; a customer-managed key would add a KMS dependency to the recovery path and $1 a month per region.',
    );
    if (props.reservedConcurrency === undefined) {
      skipCheckov(
        this.function,
        ['CKV_AWS_115'],
        'No reserved concurrency: an operator or a drill invokes this playbook on demand (no event source can fan it out), and each reservation takes from the account pool, of which Lambda keeps 100 unreserved. Failover and failback, which must not interleave, reserve 1.',
      );
    }
    skipCheckov(logGroup, ['CKV_AWS_158'], CHECKOV_REASONS.logGroupServiceKey);
  }
}
