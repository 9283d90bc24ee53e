import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LiveReleaseWatch } from '../../lib/recovery/live-release-watch';
import type { AlarmPager, Urgency } from '../../lib/shared/alarm-pager';
import { deployment } from '../support/deployment';
import { pagingTopicArn } from '../support/paging';

const BUCKET = 'portfolio-site-111111111111-us-east-1';
const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

function synth(docsBaseUrl?: string) {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const paged: [string, Urgency][] = [];
  const pager: AlarmPager = {
    page: (alarm: cloudwatch.Alarm, urgency: Urgency) => paged.push([alarm.node.path, urgency]),
  };
  const watch = new LiveReleaseWatch(stack, 'Watch', {
    bucketName: BUCKET,
    deployment,
    code: lambda.Code.fromInline('exports.liveReleaseChanged = async () => undefined;'),
    topicName: 'portfolio-page-high',
    pager,
    alarmName: 'portfolio-release-watch-failed-primary',
    docsBaseUrl,
  });
  return { template: Template.fromStack(stack), paged, watch };
}

describe('LiveReleaseWatch', () => {
  test('the rule sends Object Created and Object Deleted under releases/ (raw or URL-encoded) of this bucket only', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created', 'Object Deleted'],
        detail: {
          bucket: { name: [BUCKET] },
          object: { key: [{ prefix: 'releases/' }, { prefix: 'releases%2F' }] },
        },
      },
      State: 'ENABLED',
      Description: `Sends writes and deletes under releases/ of ${BUCKET} to the live-release watch`,
    });
  });

  test('the rule targets the function, which admits only this rule to invoke it', () => {
    const { template } = synth();
    const [ruleId] = Object.keys(template.findResources('AWS::Events::Rule'));
    const [fnId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  test('the function runs liveReleaseChanged with the high topic and the runbook in its environment', () => {
    const { template } = synth('https://docs.example.org/dr/');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.liveReleaseChanged',
      ReservedConcurrentExecutions: 2,
      Timeout: 30,
      Environment: {
        Variables: Match.objectLike({
          DR_PAGE_TOPIC_ARN: pagingTopicArn('us-east-1', 'high'),
          DR_PAGE_RUNBOOK: 'Runbook: https://docs.example.org/dr/docs/runbooks/live-release-changed.md',
          DR_DEPLOYMENT: JSON.stringify(deployment),
        }),
      },
    });
  });

  test('the role reads the live release parameter (value and history) and publishes to the high topic, nothing else', () => {
    const { template, watch } = synth();
    const roleId = Stack.of(watch).getLogicalId(watch.role.node.defaultChild as any);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
    );
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const own = statements.filter(
      (s: any) => ![s.Action].flat().some((a: string) => a.startsWith('logs:') || a.startsWith('xray:')),
    );
    expect(own).toEqual([
      {
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameterHistory'],
        Resource: arn(':ssm:us-east-1:111111111111:parameter/portfolio/live-release'),
      },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: pagingTopicArn('us-east-1', 'high') },
    ]);
  });

  test('the errors alarm pages high, names the runbook, and stays quiet while idle', () => {
    const { template, paged } = synth();
    expect(paged).toEqual([['S/Watch/ErrorsAlarm', 'high']]);
    const [fnId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'portfolio-release-watch-failed-primary',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: `The live-release watch of ${BUCKET} failed (Lambda errors): a write or delete under the live release may not have paged. Read the event from the function's log. Urgency: high. Runbook: docs/runbooks/live-release-changed.md`,
    });
  });
});
