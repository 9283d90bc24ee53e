import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledge, wildcardResourceFinding } from '../shared/nag-acknowledgements';

export interface RestoreLoopProps {
  /** The restore playbook: answers "paused" with a `next` input, or "done"/"failed" with totals. */
  readonly restoreFunction: lambda.IFunction;
  /**
   * Where the state machine logs every execution (level ALL). Created by the caller: the log group
   * is retained, and created in the stack's scope it keeps the logical id it had before the loop
   * became a construct of its own.
   */
  readonly logGroup: logs.ILogGroup;
  /**
   * How long one restore may run, every iteration included.
   * @default Duration.hours(24)
   */
  readonly timeout?: Duration;
}

/**
 * Invoke the restore; while it answers "paused", invoke it again from its checkpoint. The
 * Lambda's output is the state (payloadResponseOnly: no Payload/StatusCode envelope) and is kept
 * far below Step Functions' 256 KiB limit (see restoreOutput in lambda/handlers/index.ts). The
 * execution succeeds only on "done" with no failed key; failures of earlier iterations are
 * counted in `totals.failed`, carried by the checkpoint.
 *
 * The state machine is this construct's default child (id "Default", which CDK leaves out of
 * logical ids), so its resources keep the logical ids they had when the stack held them directly.
 */
export class RestoreLoop extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RestoreLoopProps) {
    super(scope, id);
    const step = new tasks.LambdaInvoke(this, 'RestoreStep', {
      lambdaFunction: props.restoreFunction,
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
    this.stateMachine = new sfn.StateMachine(this, 'Default', {
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.timeout ?? Duration.hours(24),
      tracingEnabled: true,
      logs: {
        destination: props.logGroup,
        level: sfn.LogLevel.ALL,
      },
    });
    const role = this.stateMachine.role;
    acknowledge(
      role,
      [wildcardResourceFinding(role, `${props.restoreFunction.functionArn}:*`), wildcardResourceFinding(role, '*')],
      'Written by aws-cdk-lib for the state machine: invoke any version of the restore function only; X-Ray, and the CloudWatch Logs delivery actions (logs:*LogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) that the Step Functions guide lists for logging to CloudWatch Logs, which support no resource-level permissions.',
    );
  }
}
