import { App, type Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PagingTopic } from '../../../lib/shared/paging-topic';
import { stack, violations } from './fixtures';

// DR-AlarmsPageOneUrgency beyond test/paging/paging.test.ts: composite alarms, several alarms and
// actions, paging topics in the alarm's own stack (by Ref).

/** Paging topics of both urgencies and a plain topic in stack S, and a metric alarm factory. */
function setup() {
  const app = new App();
  const s = stack(app, 'S', 'us-east-1');
  const paging = (urgency: 'high' | 'low') =>
    new PagingTopic(s, `Page${urgency}`, {
      topicName: `app-page-${urgency}`,
      urgency,
      subscriptions: [{ protocol: 'email', endpoint: 'oncall@example.com' }],
      alarmNamePattern: 'app-*',
    }).topic;
  const high = paging('high');
  const low = paging('low');
  const plain = new sns.Topic(s, 'Plain');
  const alarm = (scope: Stack, id: string, ...topics: sns.ITopic[]) => {
    const a = new cloudwatch.Alarm(scope, id, {
      alarmName: `app-${id}`,
      metric: new cloudwatch.Metric({ namespace: 'AWS/S3', metricName: id }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    for (const t of topics) a.addAlarmAction(new cwActions.SnsAction(t));
    return a;
  };
  return { app, s, high, low, plain, alarm };
}

describe('DR-AlarmsPageOneUrgency with several alarms, actions and kinds', () => {
  test('each alarm judged on its own actions: a plain topic beside a paging topic is fine, two urgencies are not', () => {
    const { app, s, high, low, plain, alarm } = setup();
    alarm(s, 'Fine', plain, high);
    alarm(s, 'Low', low);
    alarm(s, 'Both', low, plain, high);
    alarm(s, 'PlainOnly', plain);
    expect(violations(app, 'AlarmsPageOneUrgency')).toEqual(['S/Both/Resource', 'S/PlainOnly/Resource']);
  });

  test('only ALARM actions count: paging on OK or on insufficient data pages nobody when it breaks', () => {
    const { app, s, high, alarm } = setup();
    const a = alarm(s, 'OkOnly');
    a.addOkAction(new cwActions.SnsAction(high));
    a.addInsufficientDataAction(new cwActions.SnsAction(high));
    expect(violations(app, 'AlarmsPageOneUrgency')).toEqual(['S/OkOnly/Resource']);
  });

  test('composite alarms are held to the same bar', () => {
    const { app, s, high, low, alarm } = setup();
    const child = alarm(s, 'Child', low);
    const rule = cloudwatch.AlarmRule.fromAlarm(child, cloudwatch.AlarmState.ALARM);
    new cloudwatch.CompositeAlarm(s, 'Paged', { alarmRule: rule }).addAlarmAction(new cwActions.SnsAction(high));
    new cloudwatch.CompositeAlarm(s, 'Silent', { alarmRule: rule });
    expect(violations(app, 'AlarmsPageOneUrgency')).toEqual(['S/Silent/Resource']);
  });

  test('not applicable: other resources, a topic among them', () => {
    const { app } = setup();
    expect(violations(app, 'AlarmsPageOneUrgency')).toEqual([]);
  });
});
