import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { PagingTopic } from '../../lib/shared/paging-topic';

function setup(alarmNamePattern = 'app-*') {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const alarm = (id: string, alarmName?: string) =>
    new cloudwatch.Alarm(stack, id, {
      alarmName,
      metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: 'x' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
  const paging = new PagingTopic(stack, 'Paging', { email: 'a@example.com', alarmNamePattern });
  return { stack, alarm, paging };
}

describe('PagingTopic', () => {
  test("admits CloudWatch for the pattern's alarms in its own account and region, beside the SSL-only Deny", () => {
    const { stack } = setup();
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny' },
          {
            Sid: 'AllowThisAppsAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:111111111111:alarm:app-*'],
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  test('page() sends ALARM and OK of a matching alarm to the topic', () => {
    const { stack, alarm, paging } = setup();
    paging.page(alarm('A', 'app-down'));
    const topic = { Ref: stack.resolve((paging.topic.node.defaultChild as any).logicalId) };
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'app-down',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  test.each([
    ['another name', 'other-down', 'got "other-down"'],
    ['no fixed name', undefined, 'got none'],
  ])('page() refuses an alarm with %s: the topic policy would not admit it', (_name, alarmName, got) => {
    const { alarm, paging } = setup();
    const a = alarm('A', alarmName);
    expect(() => paging.page(a)).toThrow(
      `PagingTopic S/Paging: the alarm S/A must have a fixed name starting with "app-" (the topic policy admits only those), ${got}`,
    );
  });

  test('refuses a pattern that is not a prefix and one "*"', () => {
    expect(() => setup('app-*-x')).toThrow(
      'PagingTopic S/Paging: alarmNamePattern must be an alarm-name prefix followed by one "*", got "app-*-x"',
    );
  });

  test('a pattern known only at deploy time (a token) is not checked at synth, and goes into the policy as is', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const pattern = new CfnParameter(stack, 'Pattern').valueAsString;
    const paging = new PagingTopic(stack, 'Paging', { email: 'a@example.com', alarmNamePattern: pattern });
    const alarm = new cloudwatch.Alarm(stack, 'A', {
      alarmName: 'any-name',
      metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: 'x' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    paging.page(alarm);
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy'))).toContain(
      '{"Ref":"Pattern"}',
    );
  });
});
