import { App } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  arnRegion,
  arnResource,
  arnServiceAndAccount,
  logicalId,
  namesTopic,
} from '../../../lib/posture/rules/support';
import { ACCOUNT, stack } from './fixtures';

// The ARN readers every DR rule shares: what they read from literal ARNs, from Fn::Join ARNs whose
// parts are partly tokens, and what they refuse (the rules then treat the ARN as unknown).
const JOINED = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });

describe('ARN parts', () => {
  test('a literal ARN gives its region, resource, service and account', () => {
    const arn = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:site-vault`;
    expect([arnRegion(arn), arnResource(arn), arnServiceAndAccount(arn)]).toEqual([
      'us-west-2',
      'backup-vault:site-vault',
      { service: 'backup', account: ACCOUNT },
    ]);
  });

  test('a part that is a token in an Fn::Join is unknown; the literal parts are still read', () => {
    const arn = JOINED('arn:aws:sns:us-east-1:', { Ref: 'AWS::AccountId' }, ':page-high');
    expect([arnRegion(arn), arnResource(arn), arnServiceAndAccount(arn)]).toEqual([
      'us-east-1',
      'page-high',
      undefined,
    ]);
    const tokenService = JOINED('arn:aws:', { Ref: 'Service' }, `:us-east-1:${ACCOUNT}:x`);
    expect(arnServiceAndAccount(tokenService)).toBeUndefined();
    expect(
      arnResource(JOINED(`arn:aws:sns:us-east-1:${ACCOUNT}:`, { 'Fn::GetAtt': ['T', 'TopicName'] })),
    ).toBeUndefined();
    expect(arnRegion(JOINED('arn:aws:sns:', { Ref: 'AWS::Region' }, `:${ACCOUNT}:t`))).toBeUndefined();
  });

  test.each<[string, unknown, unknown[]]>([
    ['undefined', undefined, [undefined, undefined, undefined]],
    ['null', null, [undefined, undefined, undefined]],
    ['a number', 7, [undefined, undefined, undefined]],
    ['a Ref', { Ref: 'Topic' }, [undefined, undefined, undefined]],
    ['an ARN of three parts', 'arn:aws:sns', [undefined, undefined, undefined]],
    [
      'an ARN with an empty resource',
      `arn:aws:sns:us-east-1:${ACCOUNT}:`,
      ['us-east-1', undefined, { service: 'sns', account: ACCOUNT }],
    ],
  ])('%s: region, resource, service and account', (_name, value, expected) => {
    expect([arnRegion(value), arnResource(value), arnServiceAndAccount(value)]).toEqual(expected);
  });
});

describe('namesTopic', () => {
  /** A paging-like topic with a fixed name in the Paging stack of us-east-1, and a stack beside it. */
  function topics() {
    const app = new App();
    const paging = stack(app, 'Paging', 'us-east-1');
    const topic = new sns.Topic(paging, 'High', { topicName: 'page-high' }).node.defaultChild as sns.CfnTopic;
    const beside = new sns.Topic(paging, 'Low', { topicName: 'page-low' }).node.defaultChild as sns.CfnTopic;
    const other = new sqs.Queue(stack(app, 'Other', 'us-east-1'), 'Q').node.defaultChild as sqs.CfnQueue;
    return { topic, beside, other };
  }

  test('a Ref names the topic in its own stack only', () => {
    const { topic, beside, other } = topics();
    const ref = { Ref: logicalId(topic) };
    expect(namesTopic(ref, beside, topic)).toBe(true);
    // The same Ref written in another stack names a resource of that stack, not the topic.
    expect(namesTopic(ref, other, topic)).toBe(false);
  });

  test.each<[string, string, boolean]>([
    ['the ARN of its region, account and name', `arn:aws:sns:us-east-1:${ACCOUNT}:page-high`, true],
    ['another account', 'arn:aws:sns:us-east-1:222222222222:page-high', false],
    ['another region', `arn:aws:sns:us-west-2:${ACCOUNT}:page-high`, false],
    ['another service', `arn:aws:sqs:us-east-1:${ACCOUNT}:page-high`, false],
    ['another name', `arn:aws:sns:us-east-1:${ACCOUNT}:page-low`, false],
  ])('from another stack, %s', (_name, arn, expected) => {
    const { topic, other } = topics();
    expect(namesTopic(arn, other, topic)).toBe(expected);
  });

  test('a topic whose name CloudFormation generates is named by no ARN', () => {
    const app = new App();
    const s = stack(app, 'Paging', 'us-east-1');
    const topic = new sns.Topic(s, 'Unnamed').node.defaultChild as sns.CfnTopic;
    const other = new sqs.Queue(stack(app, 'Other', 'us-east-1'), 'Q').node.defaultChild as sqs.CfnQueue;
    expect(namesTopic(`arn:aws:sns:us-east-1:${ACCOUNT}:undefined`, other, topic)).toBe(false);
  });
});
