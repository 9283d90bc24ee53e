import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { checkAlertAddress, checkSubscriptions, placeholderProblem } from '../../../cli/preflight/alerts';
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
  const STACKS = [
    { name: 'portfolio-data-primary', region: 'us-east-1' },
    { name: 'portfolio-data-standby', region: 'us-west-2' },
    { name: 'portfolio-global-dns', region: 'us-east-1' },
  ];
  const GLOBAL_TOPIC = 'arn:aws:sns:us-east-1:111111111111:portfolio-global-dns-PagingTopic-AAA';
  const DATA_TOPIC = 'arn:aws:sns:us-east-1:111111111111:portfolio-data-primary-PagingTopic-BBB';
  const confirmed = (topic: string, email = 'oncall@acme.io') => ({
    TopicArn: topic,
    Protocol: 'email',
    Endpoint: email,
    SubscriptionArn: `${topic}:0f1e2d3c`,
  });
  const pending = (topic: string, email = 'oncall@acme.io') => ({
    TopicArn: topic,
    Protocol: 'email',
    Endpoint: email,
    SubscriptionArn: 'PendingConfirmation',
  });

  /** Stacks deployed in us-east-1, listed over two pages each; data-standby not deployed. */
  function deployed() {
    const m = mockedClients();
    m.mocks.cfn['us-east-1'].on(ListStackResourcesCommand).callsFake((i) => {
      const topic = i.StackName === 'portfolio-global-dns' ? GLOBAL_TOPIC : DATA_TOPIC;
      if (!i.NextToken) {
        return {
          StackResourceSummaries: [
            {
              LogicalResourceId: 'Alarm',
              ResourceType: 'AWS::CloudWatch::Alarm',
              PhysicalResourceId: 'a',
              ResourceStatus: 'CREATE_COMPLETE',
              LastUpdatedTimestamp: new Date(),
            },
          ],
          NextToken: 'page-2',
        };
      }
      return {
        StackResourceSummaries: [
          {
            LogicalResourceId: 'PagingTopic',
            ResourceType: 'AWS::SNS::Topic',
            PhysicalResourceId: topic,
            ResourceStatus: 'CREATE_COMPLETE',
            LastUpdatedTimestamp: new Date(),
          },
        ],
      };
    });
    return m;
  }
  const run = (m: ReturnType<typeof mockedClients>) =>
    checkSubscriptions(STACKS, m.clients, 'oncall@acme.io', 'dr-operator');

  test('before the first deploy (no stack exists): a pass with a note', async () => {
    expect(await run(mockedClients())).toEqual([
      {
        check: 'alert-subscriptions',
        subject: 'paging topics',
        status: 'pass',
        detail: 'not deployed yet: no stack of the app exists, so there is no topic to subscribe to',
        note: 'after the first deploy, confirm the e-mails AWS sends and run preflight again to check the subscriptions',
      },
    ]);
  });

  test('confirmed subscriptions pass; topics and subscriptions are read across pages', async () => {
    const m = deployed();
    m.mocks.sns['us-east-1'].on(ListSubscriptionsByTopicCommand).callsFake((i) =>
      i.NextToken
        ? { Subscriptions: [confirmed(i.TopicArn)] }
        : {
            Subscriptions: [
              {
                TopicArn: i.TopicArn,
                Protocol: 'https',
                Endpoint: 'https://hooks.acme.io/x',
                SubscriptionArn: `${i.TopicArn}:1`,
              },
            ],
            NextToken: 'more',
          },
    );
    expect(await run(m)).toEqual([
      {
        check: 'alert-subscriptions',
        subject: DATA_TOPIC,
        status: 'pass',
        detail: 'oncall@acme.io confirmed (portfolio-data-primary)',
      },
      {
        check: 'alert-subscriptions',
        subject: GLOBAL_TOPIC,
        status: 'pass',
        detail: 'oncall@acme.io confirmed (portfolio-global-dns)',
      },
    ]);
    expect(m.mocks.cfn['us-east-1'].commandCalls(ListStackResourcesCommand)).toHaveLength(4);
    expect(m.mocks.sns['us-east-1'].commandCalls(ListSubscriptionsByTopicCommand)).toHaveLength(4);
  });

  test('a subscription still PendingConfirmation (on the second page) fails, with the command that re-sends the e-mail', async () => {
    const m = deployed();
    m.mocks.sns['us-east-1']
      .on(ListSubscriptionsByTopicCommand)
      .callsFake((i) =>
        i.TopicArn === GLOBAL_TOPIC && i.NextToken
          ? { Subscriptions: [pending(i.TopicArn)] }
          : i.TopicArn === GLOBAL_TOPIC
            ? { Subscriptions: [], NextToken: 'more' }
            : { Subscriptions: [confirmed(i.TopicArn)] },
      );
    const results = await run(m);
    expect(results[1]).toEqual({
      check: 'alert-subscriptions',
      subject: GLOBAL_TOPIC,
      status: 'fail',
      detail: 'email oncall@acme.io: PendingConfirmation, so no page reaches it',
      fix: `follow the link in the "AWS Notification - Subscription Confirmation" e-mail; to have it sent again: aws sns subscribe --region us-east-1 --profile dr-operator --topic-arn ${GLOBAL_TOPIC} --protocol email --notification-endpoint oncall@acme.io`,
    });
    expect(results[0].status).toBe('pass');
  });

  test('a topic without a subscription for the alert address fails (expired unconfirmed, or the config changed)', async () => {
    const m = deployed();
    m.mocks.sns['us-east-1']
      .on(ListSubscriptionsByTopicCommand)
      .callsFake((i) => ({ Subscriptions: [confirmed(i.TopicArn, 'old-oncall@acme.io')] }));
    expect((await run(m))[0]).toEqual({
      check: 'alert-subscriptions',
      subject: DATA_TOPIC,
      status: 'fail',
      detail:
        'no e-mail subscription for oncall@acme.io (it expired unconfirmed, was removed, or the config changed since the deploy)',
      fix: `aws sns subscribe --region us-east-1 --profile dr-operator --topic-arn ${DATA_TOPIC} --protocol email --notification-endpoint oncall@acme.io; then follow the link in the e-mail`,
    });
  });

  test('stacks deployed without a topic yet: a pass with a note', async () => {
    const m = mockedClients();
    m.mocks.cfn['us-east-1'].on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [] });
    expect(await run(m)).toEqual([
      {
        check: 'alert-subscriptions',
        subject: 'paging topics',
        status: 'pass',
        detail: 'no paging topic deployed yet',
        note: 'the topics come with the primary data stack and the global stack; run preflight again after deploying them',
      },
    ]);
  });

  test('a stack or topic that cannot be read fails with the permission to grant', async () => {
    const m = deployed();
    m.mocks.cfn['us-west-2'].on(ListStackResourcesCommand).rejects(awsError('AccessDenied', 'denied', 403));
    m.mocks.sns['us-east-1'].on(ListSubscriptionsByTopicCommand).rejects(awsError('AuthorizationError', 'denied', 403));
    const results = await run(m);
    expect(results.map((r) => [r.subject, r.status, r.fix])).toEqual([
      [
        'portfolio-data-standby (us-west-2)',
        'fail',
        'grant cloudformation:ListStackResources on portfolio-data-standby to the profile',
      ],
      [DATA_TOPIC, 'fail', `grant sns:ListSubscriptionsByTopic on ${DATA_TOPIC} to the profile`],
      [GLOBAL_TOPIC, 'fail', `grant sns:ListSubscriptionsByTopic on ${GLOBAL_TOPIC} to the profile`],
    ]);
  });
});
