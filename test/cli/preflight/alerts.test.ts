import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import {
  checkAlertAddress,
  checkSubscriptions,
  type ExpectedTopic,
  placeholderProblem,
} from '../../../cli/preflight/alerts';
import { awsError, mockedClients } from './fixtures';

describe('the alert address', () => {
  test.each([
    ['oncall@example.com', 'example.com is a reserved example domain: no mail is ever delivered there'],
    ['pager@ops.example.org', 'ops.example.org is a reserved example domain: no mail is ever delivered there'],
    ['a@example.net', 'example.net is a reserved example domain: no mail is ever delivered there'],
    ['oncall@portfolio.test', 'portfolio.test is a reserved example domain: no mail is ever delivered there'],
    ['changeme@acme.io', '"changeme" marks a placeholder'],
    ['your-email@acme.io', '"your-email" marks a placeholder'],
    ['you@acme.io', '"you@" marks a placeholder'],
  ])('%s is a placeholder', (address, problem) => {
    expect(placeholderProblem(address)).toBe(problem);
  });

  test.each(['oncall@acme.io', 'jane.doe@examples.com', 'ops+dr@example-corp.com', 'me@janedoe.dev'])(
    '%s is not',
    (address) => expect(placeholderProblem(address)).toBeUndefined(),
  );

  test('a placeholder fails with the field to edit', () => {
    expect(checkAlertAddress('oncall@example.com', 'config/default.json')).toEqual({
      check: 'alert-address',
      subject: 'oncall@example.com',
      status: 'fail',
      detail:
        '"alertEmail" is a placeholder: example.com is a reserved example domain: no mail is ever delivered there; pages would reach nobody',
      fix: 'set "alertEmail" in config/default.json to a mailbox on-call reads (docs/runbooks/config-change.md), then run preflight again',
    });
  });
});

describe('the paging subscriptions', () => {
  const arn = (region: string, urgency: string) => `arn:aws:sns:${region}:111111111111:portfolio-page-${urgency}`;
  const PD = 'https://events.pagerduty.com/integration/0123abcd/enqueue';
  const TOPICS: ExpectedTopic[] = [
    {
      region: 'us-east-1',
      urgency: 'high',
      arn: arn('us-east-1', 'high'),
      subscriptions: [
        { protocol: 'https', endpoint: PD },
        { protocol: 'sms', endpoint: '+14155550100' },
      ],
    },
    {
      region: 'us-east-1',
      urgency: 'low',
      arn: arn('us-east-1', 'low'),
      subscriptions: [{ protocol: 'email', endpoint: 'oncall@acme.io' }],
    },
    {
      region: 'us-west-2',
      urgency: 'low',
      arn: arn('us-west-2', 'low'),
      subscriptions: [{ protocol: 'email', endpoint: 'oncall@acme.io' }],
    },
  ];
  const sub = (topic: string, protocol: string, endpoint: string, pending = false) => ({
    TopicArn: topic,
    Protocol: protocol,
    Endpoint: endpoint,
    SubscriptionArn: pending ? 'PendingConfirmation' : `${topic}:0f1e2d3c`,
  });
  /** Every topic deployed with its expected subscriptions confirmed, listed over two pages. */
  function deployed(
    change: (topic: string, subs: ReturnType<typeof sub>[]) => ReturnType<typeof sub>[] = (_t, s) => s,
  ) {
    const m = mockedClients();
    for (const region of ['us-east-1', 'us-west-2']) {
      m.mocks.sns[region].on(ListSubscriptionsByTopicCommand).callsFake((i) => {
        const topic = TOPICS.find((t) => t.arn === i.TopicArn)!;
        const subs = change(
          i.TopicArn,
          topic.subscriptions.map((w) => sub(i.TopicArn, w.protocol, w.endpoint)),
        );
        return i.NextToken ? { Subscriptions: subs.slice(1) } : { Subscriptions: subs.slice(0, 1), NextToken: 'more' };
      });
    }
    return m;
  }
  const run = (m: ReturnType<typeof mockedClients>) => checkSubscriptions(TOPICS, m.clients, 'dr-operator');

  test('before the first deploy (no topic exists: NotFound): a pass with a note', async () => {
    expect(await run(mockedClients())).toEqual([
      {
        check: 'alert-subscriptions',
        subject: 'paging topics',
        status: 'pass',
        detail: 'not deployed yet: no paging topic of the app exists, so there is nothing to subscribe to',
        note: 'after the first deploy, confirm the e-mails and SMS that AWS sends and run preflight again to check the subscriptions',
      },
    ]);
  });

  test('every expected subscription of every urgency confirmed: a pass per topic; subscriptions are read across pages', async () => {
    const m = deployed();
    expect(await run(m)).toEqual([
      {
        check: 'alert-subscriptions',
        subject: arn('us-east-1', 'high'),
        status: 'pass',
        detail: `high urgency: https ${PD}, sms +14155550100 confirmed`,
      },
      {
        check: 'alert-subscriptions',
        subject: arn('us-east-1', 'low'),
        status: 'pass',
        detail: 'low urgency: email oncall@acme.io confirmed',
      },
      {
        check: 'alert-subscriptions',
        subject: arn('us-west-2', 'low'),
        status: 'pass',
        detail: 'low urgency: email oncall@acme.io confirmed',
      },
    ]);
    expect(m.mocks.sns['us-east-1'].commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(4); // two topics, two pages each
  });

  test('a pending e-mail fails with the command that sends the e-mail again', async () => {
    const m = deployed((topic, subs) =>
      topic === arn('us-west-2', 'low') ? [{ ...subs[0], SubscriptionArn: 'PendingConfirmation' }] : subs,
    );
    const results = await run(m);
    expect(results[2]).toEqual({
      check: 'alert-subscriptions',
      subject: arn('us-west-2', 'low'),
      status: 'fail',
      detail: 'email oncall@acme.io: PendingConfirmation, so no page reaches it',
      fix: `follow the link in the "AWS Notification - Subscription Confirmation" e-mail; to have it sent again: aws sns subscribe --region us-west-2 --profile dr-operator --topic-arn ${arn('us-west-2', 'low')} --protocol email --notification-endpoint oncall@acme.io`,
    });
    expect(results.slice(0, 2).map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  test('a pending HTTPS endpoint fails with what to check on the integration', async () => {
    const m = deployed((topic, subs) =>
      topic === arn('us-east-1', 'high') ? [{ ...subs[0], SubscriptionArn: 'PendingConfirmation' }, subs[1]] : subs,
    );
    expect((await run(m))[0]).toEqual({
      check: 'alert-subscriptions',
      subject: arn('us-east-1', 'high'),
      status: 'fail',
      detail: `https ${PD}: PendingConfirmation, so no page reaches it`,
      fix: `the endpoint did not confirm: check that the integration URL is right and answers SNS's SubscriptionConfirmation (PagerDuty and Opsgenie do by themselves), then subscribe again: aws sns subscribe --region us-east-1 --profile dr-operator --topic-arn ${arn('us-east-1', 'high')} --protocol https --notification-endpoint ${PD}`,
    });
  });

  test('an expected subscription that is missing fails (expired unconfirmed, removed, or the config changed)', async () => {
    const m = deployed((topic, subs) => (topic === arn('us-east-1', 'high') ? [subs[0]] : subs));
    expect((await run(m))[0]).toEqual({
      check: 'alert-subscriptions',
      subject: arn('us-east-1', 'high'),
      status: 'fail',
      detail:
        'no sms subscription for +14155550100 (it expired unconfirmed, was removed, or the config changed since the deploy)',
      fix: `aws sns subscribe --region us-east-1 --profile dr-operator --topic-arn ${arn('us-east-1', 'high')} --protocol sms --notification-endpoint +14155550100; then confirm it`,
    });
  });

  test('an e-mail address matches without case', async () => {
    const m = deployed((_topic, subs) =>
      subs.map((s) => (s.Protocol === 'email' ? { ...s, Endpoint: 'OnCall@acme.io' } : s)),
    );
    expect((await run(m)).map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });

  test('a topic that cannot be read fails with the permission to grant', async () => {
    const m = deployed();
    m.mocks.sns['us-west-2'].on(ListSubscriptionsByTopicCommand).rejects(awsError('AuthorizationError', 'denied', 403));
    const results = await run(m);
    expect(results[2]).toEqual({
      check: 'alert-subscriptions',
      subject: arn('us-west-2', 'low'),
      status: 'fail',
      detail: "cannot list the topic's subscriptions (AuthorizationError: denied)",
      fix: `grant sns:ListSubscriptionsByTopic on ${arn('us-west-2', 'low')} to the profile`,
    });
  });
});
