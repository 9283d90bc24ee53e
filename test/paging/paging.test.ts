import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { type DrConfig, parseConfig } from '../../lib/config';
import { PagingStack } from '../../lib/paging/paging-stack';
import { TopicPager } from '../../lib/paging/topic-pager';
import { Names } from '../../lib/shared/naming';
import { runbookReference } from '../../lib/shared/runbooks';
import { violations } from '../posture/rules/fixtures';
import { pagingTopicArn } from '../support/paging';

const BASE = {
  appName: 'portfolio',
  domainName: 'www.example.com',
  hostedZone: { id: 'Z0000000EXAMPLE0000', name: 'example.com' },
  account: '111111111111',
  regions: { primary: 'us-east-1', standby: 'us-west-2' },
  objectives: { rtoMinutes: 15, rpoMinutes: 30 },
  alertEmail: 'oncall@acme.io',
  healthCheck: { intervalSeconds: 30, failureThreshold: 3, searchString: 'portfolio-ok' },
  content: { versionRetentionDays: 365 },
};

/** Paging stacks in us-east-1 and us-west-2, a consumer stack in each, and a pager over them. */
function setup(config: DrConfig = parseConfig(BASE)) {
  const app = new App();
  const names = new Names(config);
  const env = (region: string) => ({ account: config.account, region });
  const paging = new Map<string, PagingStack>();
  for (const region of ['us-east-1', 'us-west-2']) {
    paging.set(region, new PagingStack(app, names.pagingStack(region), { env: env(region), config }));
  }
  const pager = new TopicPager(names, (region) => paging.get(region));
  const east = new Stack(app, 'East', { env: env('us-east-1') });
  const west = new Stack(app, 'West', { env: env('us-west-2') });
  const alarm = (stack: Stack, id: string, alarmName: string | undefined = `portfolio-${id.toLowerCase()}`) =>
    new cloudwatch.Alarm(stack, id, {
      alarmName,
      metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: 'x' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
  return { app, names, paging, pager, east, west, alarm };
}

describe('PagingStack', () => {
  test('has one topic per urgency, named deterministically, each with the e-mail of alertEmail by default', () => {
    const { paging } = setup();
    const template = Template.fromStack(paging.get('us-west-2')!);
    const topics = Object.values(template.findResources('AWS::SNS::Topic')).map((t) => t.Properties.TopicName);
    expect(topics).toEqual(['portfolio-page-high', 'portfolio-page-low']);
    const subs = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => [
      s.Properties.Protocol,
      s.Properties.Endpoint,
    ]);
    expect(subs).toEqual([
      ['email', 'oncall@acme.io'],
      ['email', 'oncall@acme.io'],
    ]);
    template.hasOutput('HighUrgencyTopicArn', {});
    template.hasOutput('LowUrgencyTopicArn', {});
  });

  test("each urgency subscribes the config's list: e-mail, SMS and a PagerDuty HTTPS endpoint", () => {
    const pd = 'https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue';
    const config = parseConfig({
      ...BASE,
      paging: {
        high: [
          { protocol: 'https', endpoint: pd },
          { protocol: 'sms', endpoint: '+14155550100' },
        ],
        low: [{ protocol: 'email', endpoint: 'team@acme.io' }],
      },
    });
    const template = Template.fromStack(setup(config).paging.get('us-east-1')!);
    const topicOf = (name: string) =>
      Object.entries(template.findResources('AWS::SNS::Topic')).find(([, t]) => t.Properties.TopicName === name)![0];
    const subsOf = (name: string) =>
      Object.values(template.findResources('AWS::SNS::Subscription'))
        .filter((s) => s.Properties.TopicArn.Ref === topicOf(name))
        .map((s) => [s.Properties.Protocol, s.Properties.Endpoint]);
    expect(subsOf('portfolio-page-high')).toEqual([
      ['https', pd],
      ['sms', '+14155550100'],
    ]);
    expect(subsOf('portfolio-page-low')).toEqual([['email', 'team@acme.io']]);
  });

  test('only the low-urgency topic admits EventBridge (AWS Backup job events)', () => {
    const template = Template.fromStack(setup().paging.get('us-east-1')!);
    const sids = Object.values(template.findResources('AWS::SNS::TopicPolicy')).map((p) =>
      p.Properties.PolicyDocument.Statement.map((s: { Sid: string }) => s.Sid),
    );
    expect(sids).toEqual([
      ['AllowPublishThroughSSLOnly', 'AllowThisAppsAlarmsToPublish'],
      ['AllowPublishThroughSSLOnly', 'AllowThisAppsAlarmsToPublish', 'AllowEventBridgeRulesToPublish'],
    ]);
  });
});

describe('TopicPager', () => {
  test.each(['high', 'low'] as const)(
    "page(alarm, '%s') sends ALARM and OK to that topic of the alarm's region, and deploys the alarm's stack after the paging stack",
    (urgency) => {
      const { pager, west, paging, alarm } = setup();
      pager.page(alarm(west, 'Down'), urgency);
      Template.fromStack(west).hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'portfolio-down',
        AlarmActions: [pagingTopicArn('us-west-2', urgency)],
        OKActions: [pagingTopicArn('us-west-2', urgency)],
      });
      expect(west.dependencies).toEqual([paging.get('us-west-2')]);
    },
  );

  test('alarms of one stack share one import per urgency', () => {
    const { pager, east, alarm } = setup();
    pager.page(alarm(east, 'A'), 'high');
    pager.page(alarm(east, 'B'), 'high');
    pager.page(alarm(east, 'C'), 'low');
    expect(east.node.children.map((c) => c.node.id).filter((id) => id.startsWith('PagingTopic'))).toEqual([
      'PagingTopicHigh',
      'PagingTopicLow',
    ]);
  });

  test.each([
    ['another name', 'other-down', 'got "other-down"'],
    ['no fixed name', undefined, 'got none'],
  ])('refuses an alarm with %s: the topic policy would not admit it', (_name, alarmName, got) => {
    const { pager, east, alarm } = setup();
    const a = new cloudwatch.Alarm(east, 'A', {
      alarmName,
      metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: 'x' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    void alarm;
    expect(() => pager.page(a, 'high')).toThrow(
      `TopicPager: the alarm East/A must have a fixed name starting with "portfolio-" (the topic policy admits only those), ${got}`,
    );
  });

  test('refuses an alarm in a region without a paging stack', () => {
    const { app, pager, alarm } = setup();
    const eu = new Stack(app, 'Eu', { env: { account: '111111111111', region: 'eu-west-1' } });
    expect(() => pager.page(alarm(eu, 'X'), 'low')).toThrow(
      'TopicPager: the alarm Eu/X is in region eu-west-1, which has no paging stack (an alarm can only notify a topic of its own region)',
    );
  });
});

describe('DR-AlarmsPageOneUrgency', () => {
  test('compliant: an alarm paged through the TopicPager, in another stack than the topics', () => {
    const { app, pager, west, alarm } = setup();
    pager.page(alarm(west, 'A'), 'low');
    expect(violations(app, 'AlarmsPageOneUrgency')).toEqual([]);
  });

  test('non-compliant: an alarm with no action, and one whose action reaches a topic that is no paging topic', () => {
    const { app, west, alarm } = setup();
    alarm(west, 'Silent');
    const other = new sns.Topic(west, 'Other');
    alarm(west, 'Elsewhere').addAlarmAction(new cwActions.SnsAction(other));
    expect(violations(app, 'AlarmsPageOneUrgency')).toEqual(['West/Elsewhere/Resource', 'West/Silent/Resource']);
  });

  test('non-compliant: an alarm paged at both urgencies', () => {
    const { app, pager, west, alarm } = setup();
    const a = alarm(west, 'Both');
    pager.page(a, 'high');
    pager.page(a, 'low');
    expect(violations(app, 'AlarmsPageOneUrgency')).toEqual(['West/Both/Resource']);
  });

  test('non-compliant: an ARN naming the topic of another region (the alarm cannot reach it)', () => {
    const { app, west, alarm } = setup();
    const wrong = sns.Topic.fromTopicArn(west, 'Wrong', 'arn:aws:sns:us-east-1:111111111111:portfolio-page-high');
    alarm(west, 'Far').addAlarmAction(new cwActions.SnsAction(wrong));
    expect(violations(app, 'AlarmsPageOneUrgency')).toEqual(['West/Far/Resource']);
  });
});

describe('DR-TopicsAdmitTheirPublishers across stacks', () => {
  test('compliant: the paging stacks, with alarms and an EventBridge rule of other stacks reaching them by ARN', () => {
    const { app, pager, west, alarm, names } = setup();
    pager.page(alarm(west, 'A'), 'high');
    const low = sns.Topic.fromTopicArn(
      west,
      'Low',
      west.formatArn({ service: 'sns', resource: names.pagingTopic('low') }),
    );
    new events.Rule(west, 'Backup', { eventPattern: { source: ['aws.backup'] } }).addTarget(
      new eventsTargets.SnsTopic(low),
    );
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual([]);
  });

  test('non-compliant: an EventBridge rule of another stack targeting the high topic, which admits no EventBridge', () => {
    const { app, west, names } = setup();
    const high = sns.Topic.fromTopicArn(
      west,
      'High',
      west.formatArn({ service: 'sns', resource: names.pagingTopic('high') }),
    );
    new events.Rule(west, 'Backup', { eventPattern: { source: ['aws.backup'] } }).addTarget(
      new eventsTargets.SnsTopic(high),
    );
    expect(violations(app, 'TopicsAdmitTheirPublishers')).toEqual(['portfolio-paging-us-west-2/High/Topic/Resource']);
  });
});

describe('runbookReference', () => {
  test('the repository path without a docs base URL', () => {
    expect(runbookReference('failover')).toBe('Runbook: docs/runbooks/failover.md');
  });
  test.each(['https://github.com/acme/dr/blob/main', 'https://github.com/acme/dr/blob/main/'])(
    'a full link under the base URL %s',
    (base) => {
      expect(runbookReference('replication-drift', base)).toBe(
        'Runbook: https://github.com/acme/dr/blob/main/docs/runbooks/replication-drift.md',
      );
    },
  );
});
