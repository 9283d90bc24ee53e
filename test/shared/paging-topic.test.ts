import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { PagingSubscription } from '../../lib/config';
import { PagingTopic, URGENCY_METADATA } from '../../lib/shared/paging-topic';

function setup(
  options: { alarmNamePattern?: string; subscriptions?: PagingSubscription[]; admitEventBridge?: boolean } = {},
) {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const paging = new PagingTopic(stack, 'Paging', {
    topicName: 'app-page-high',
    urgency: 'high',
    subscriptions: options.subscriptions ?? [{ protocol: 'email', endpoint: 'a@example.com' }],
    alarmNamePattern: options.alarmNamePattern ?? 'app-*',
    admitEventBridge: options.admitEventBridge,
  });
  return { stack, paging, template: () => Template.fromStack(stack) };
}

describe('PagingTopic', () => {
  test("admits CloudWatch for the pattern's alarms in its own account and region, beside the SSL-only Deny", () => {
    const { template } = setup();
    template().hasResourceProperties('AWS::SNS::TopicPolicy', {
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

  test('admits EventBridge without a condition only when asked (AWS: conditions do not work there)', () => {
    const statements = (admitEventBridge?: boolean) =>
      Object.values(setup({ admitEventBridge }).template().findResources('AWS::SNS::TopicPolicy'))[0].Properties
        .PolicyDocument.Statement;
    expect(statements(true)[2]).toEqual({
      Sid: 'AllowEventBridgeRulesToPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: expect.stringMatching(/^PagingTopic/) },
    });
    expect(statements()).toHaveLength(2);
  });

  test('has its fixed name and records its urgency in the template', () => {
    const topics = setup().template().findResources('AWS::SNS::Topic');
    expect(Object.values(topics)).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({ TopicName: 'app-page-high', DisplayName: 'DR high urgency' }),
        Metadata: expect.objectContaining({ [URGENCY_METADATA]: 'high' }),
      }),
    ]);
  });

  test('subscribes each endpoint with its protocol: e-mail, SMS and HTTPS', () => {
    const { template } = setup({
      subscriptions: [
        { protocol: 'email', endpoint: 'oncall@acme.io' },
        { protocol: 'sms', endpoint: '+14155550100' },
        { protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/0123abcd/enqueue' },
      ],
    });
    const subs = Object.values(template().findResources('AWS::SNS::Subscription')).map((r) => ({
      Protocol: r.Properties.Protocol,
      Endpoint: r.Properties.Endpoint,
    }));
    expect(subs).toEqual([
      { Protocol: 'email', Endpoint: 'oncall@acme.io' },
      { Protocol: 'sms', Endpoint: '+14155550100' },
      { Protocol: 'https', Endpoint: 'https://events.pagerduty.com/integration/0123abcd/enqueue' },
    ]);
  });

  test('refuses a pattern that is not a prefix and one "*"', () => {
    expect(() => setup({ alarmNamePattern: 'app-*-x' })).toThrow(
      'PagingTopic S/Paging: alarmNamePattern must be an alarm-name prefix followed by one "*", got "app-*-x"',
    );
  });

  test('a pattern known only at deploy time (a token) goes into the policy as is', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const pattern = new CfnParameter(stack, 'Pattern').valueAsString;
    const paging = new PagingTopic(stack, 'Paging', {
      topicName: 'x',
      urgency: 'low',
      subscriptions: [{ protocol: 'email', endpoint: 'a@example.com' }],
      alarmNamePattern: pattern,
    });
    expect(paging.alarmNamePrefix).toBeUndefined();
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain('{"Ref":"Pattern"}');
  });
});
