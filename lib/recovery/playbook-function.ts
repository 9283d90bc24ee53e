import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Deployment } from '../../lambda/lib/deployment';
import { acknowledge, managedPolicyFinding } from '../shared/nag-acknowledgements';

/** Names of the playbooks, as exported by lambda/handlers/index.ts. */
export type PlaybookName =
  'status' | 'failover' | 'failback' | 'restore' | 'verifyReplicationHandler' | 'rollbackRelease';

/** CloudFormation metadata key marking a function as a recovery playbook (read by the DR rules). */
export const PLAYBOOK_METADATA = 'PortfolioDrPlaybook';

export interface PlaybookFunctionProps {
  readonly playbook: PlaybookName;
  readonly description: string;
  readonly code: lambda.Code;
  readonly deployment: Deployment;
  readonly timeout: Duration;
  /** What the playbook may do, and nothing else. */
  readonly statements: iam.PolicyStatement[];
}

/**
 * A playbook Lambda with the settings every playbook shares (runtime, architecture, memory, log
 * retention, tracing, the deployment descriptor) and a role of its own holding exactly the given
 * statements.
 */
export class PlaybookFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PlaybookFunctionProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Recovery playbook ${props.playbook}: least privilege`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    for (const statement of props.statements) this.role.addToPolicy(statement);
    acknowledge(
      this.role,
      [managedPolicyFinding('service-role/AWSLambdaBasicExecutionRole')],
      'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs; AWS maintains it for exactly this use.',
    );

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.function = new lambda.Function(this, 'Function', {
      description: props.description,
      code: props.code,
      handler: `index.${props.playbook}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout,
      role: this.role,
      logGroup,
      environment: {
        DR_DEPLOYMENT: JSON.stringify(props.deployment),
        NODE_OPTIONS: '--enable-source-maps',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(PLAYBOOK_METADATA, {
      playbook: props.playbook,
      region: Stack.of(this).region,
    });
  }
}
