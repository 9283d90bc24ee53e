import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { skipCheckov } from '../../lib/shared/nag-acknowledgements';

const REASON = 'A reason that is long enough for a reviewer to check it.';

function topicIn(): { stack: Stack; topic: sns.Topic } {
  const stack = new Stack(new App(), 'S');
  return { stack, topic: new sns.Topic(stack, 'Topic') };
}

const checkovMetadata = (stack: Stack) =>
  Object.values(Template.fromStack(stack).findResources('AWS::SNS::Topic'))[0].Metadata?.checkov;

describe('skipCheckov', () => {
  test('writes Metadata.checkov.skip [{id, comment}] on the L2 construct’s CloudFormation resource', () => {
    const { stack, topic } = topicIn();
    skipCheckov(topic, ['CKV_AWS_26', 'CKV2_AWS_5'], REASON);
    expect(checkovMetadata(stack)).toEqual({
      skip: [
        { id: 'CKV_AWS_26', comment: REASON },
        { id: 'CKV2_AWS_5', comment: REASON },
      ],
    });
  });

  test('adds to earlier skips, and a second identical call is a no-op (shared singleton providers)', () => {
    const { stack, topic } = topicIn();
    const other = 'Another reason, also long enough for a reviewer to check.';
    skipCheckov(topic.node.defaultChild as CfnResource, ['CKV_AWS_26'], REASON);
    skipCheckov(topic, ['CKV_AWS_1'], other);
    skipCheckov(topic, ['CKV_AWS_26'], REASON);
    expect(checkovMetadata(stack).skip).toEqual([
      { id: 'CKV_AWS_26', comment: REASON },
      { id: 'CKV_AWS_1', comment: other },
    ]);
  });

  test.each([
    [
      'a check id that is not checkov’s',
      ['AwsSolutions-SNS2'],
      REASON,
      'skipCheckov: "AwsSolutions-SNS2" on S/Topic/Resource is not a checkov AWS check id (expected CKV_AWS_<n> or CKV2_AWS_<n>)',
    ],
    [
      'a reason that says nothing',
      ['CKV_AWS_26'],
      'not needed',
      'skipCheckov: the reason for S/Topic/Resource must say why (40 characters at least), got "not needed"',
    ],
  ])('rejects %s', (_what, checks, reason, message) => {
    const { topic } = topicIn();
    expect(() => skipCheckov(topic, checks, reason)).toThrow(message);
  });

  test('rejects a second, different reason for the same check on the same resource', () => {
    const { topic } = topicIn();
    skipCheckov(topic, ['CKV_AWS_26'], REASON);
    expect(() => skipCheckov(topic, ['CKV_AWS_26'], `${REASON} Changed.`)).toThrow(
      `skipCheckov: CKV_AWS_26 on S/Topic/Resource is already skipped with a different reason ("${REASON}")`,
    );
  });

  test('rejects a construct that stands for no CloudFormation resource', () => {
    const { stack } = topicIn();
    expect(() => skipCheckov(new Construct(stack, 'Plain'), ['CKV_AWS_26'], REASON)).toThrow(
      'skipCheckov: S/Plain is not a CloudFormation resource and has no default child that is one',
    );
  });
});
