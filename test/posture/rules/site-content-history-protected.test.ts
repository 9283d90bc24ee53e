import { App, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ACCOUNT, siteBucket, stack, violations } from './fixtures';

// DR-SiteContentHistoryProtected beyond test/posture/dr-rules.test.ts: policies written as L1 (one
// statement as IAM's JSON allows it: single strings, "*" principals, NotPrincipal, NotAction),
// every exempting condition operator, IAM's wildcards and case rules, several buckets.
const HISTORY = [
  's3:DeleteObjectVersion',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutReplicationConfiguration',
];
const BREAK_GLASS = `arn:aws:iam::${ACCOUNT}:role/break-glass`;

/** A site bucket `B` in stack `S` with one bucket policy holding `statement` (a function of the bucket's ids). */
function withStatement(statement: (arn: unknown, objects: unknown) => Record<string, unknown>) {
  const app = new App();
  const s = stack(app, 'S', 'us-east-1');
  const bucket = siteBucket(s, 'B');
  const id = s.resolve((bucket.node.defaultChild as s3.CfnBucket).logicalId);
  const arn = { 'Fn::GetAtt': [id, 'Arn'] };
  const objects = { 'Fn::Join': ['', [arn, '/*']] };
  new s3.CfnBucketPolicy(s, 'Policy', {
    bucket: bucket.bucketName,
    policyDocument: { Version: '2012-10-17', Statement: [statement(arn, objects)] },
  });
  return app;
}

const deny =
  (extra: Record<string, unknown> = {}) =>
  (arn: unknown, objects: unknown) => ({
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: HISTORY,
    Resource: [arn, objects],
    Condition: { ArnNotLike: { 'aws:PrincipalArn': BREAK_GLASS } },
    ...extra,
  });

describe('DR-SiteContentHistoryProtected, statements written as L1', () => {
  test.each<[string, Record<string, unknown>]>([
    ['the principal as the string "*"', { Principal: '*' }],
    ['ArnNotEquals', { Condition: { ArnNotEquals: { 'aws:PrincipalArn': BREAK_GLASS } } }],
    ['StringNotLike', { Condition: { StringNotLike: { 'aws:PrincipalArn': BREAK_GLASS } } }],
    ['StringNotEquals', { Condition: { StringNotEquals: { 'aws:PrincipalArn': [BREAK_GLASS] } } }],
    ['operator and key in other cases', { Condition: { arnnotlike: { 'AWS:PRINCIPALARN': BREAK_GLASS } } }],
    [
      'an exemption named by a reference (a role of the app, not a literal)',
      { Condition: { ArnNotLike: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': ['Role', 'Arn'] }] } } },
    ],
    [
      'actions in upper case and with "?" wildcards',
      {
        Action: [
          'S3:DELETEOBJECTVERSION',
          's3:PutLifecycleConfiguratio?',
          's3:PutBucketVersioning',
          's3:PutReplication*',
        ],
      },
    ],
    ['every action by "s3:*"', { Action: 's3:*' }],
  ])('compliant: %s', (_name, extra) => {
    expect(violations(withStatement(deny(extra)), 'SiteContentHistoryProtected')).toEqual([]);
  });

  test.each<[string, Record<string, unknown>]>([
    ['a NotPrincipal (everyone but one principal is not "everyone")', { NotPrincipal: { AWS: BREAK_GLASS } }],
    ['a NotAction (it denies every other action)', { NotAction: 's3:GetObject' }],
    ['a single action string', { Action: 's3:DeleteObjectVersion' }],
    [
      'an action that is a prefix of one to deny (s3:DeleteObject does not cover s3:DeleteObjectVersion)',
      { Action: ['s3:DeleteObject', ...HISTORY.slice(1)] },
    ],
    ['an action without its service prefix', { Action: ['DeleteObjectVersion', ...HISTORY.slice(1)] }],
    [
      'an action in which "." would match any character if it were not escaped',
      { Action: ['s3.DeleteObjectVersion', ...HISTORY.slice(1)] },
    ],
    ['a principal that is one account', { Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }],
    [
      'an exemption by StringLike (it would apply the deny to the named role only)',
      { Condition: { StringLike: { 'aws:PrincipalArn': BREAK_GLASS } } },
    ],
    [
      'a second condition block that is no exemption',
      {
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': BREAK_GLASS },
          Bool: { 'aws:SecureTransport': 'false' },
        },
      },
    ],
    ['a negated operator on another key', { Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } } }],
  ])('non-compliant: %s', (_name, extra) => {
    expect(violations(withStatement(deny(extra)), 'SiteContentHistoryProtected')).toEqual(['S/B/Resource']);
  });

  test.each<[string, (arn: unknown, objects: unknown) => unknown[]]>([
    ['the bucket ARN only', (arn) => [arn]],
    ['the objects only', (_arn, objects) => [objects]],
    ['objects under a prefix only', (arn) => [arn, { 'Fn::Join': ['', [arn, '/releases/*']] }]],
    ['objects joined with a delimiter', (arn) => [arn, { 'Fn::Join': ['/', [arn, '*']] }]],
    ['objects of another bucket', (arn) => [arn, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Other', 'Arn'] }, '/*']] }]],
    ['a join of three parts', (arn) => [arn, { 'Fn::Join': ['', [arn, '/', '*']] }]],
  ])('non-compliant: resources %s', (_name, resources) => {
    const app = withStatement((arn, objects) => deny({ Resource: resources(arn, objects) })(arn, objects));
    expect(violations(app, 'SiteContentHistoryProtected')).toEqual(['S/B/Resource']);
  });
});

describe('DR-SiteContentHistoryProtected with several buckets and statements', () => {
  function guard(bucket: s3.Bucket) {
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: HISTORY,
        resources: [bucket.bucketArn, bucket.arnForObjects('*')],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS] } },
      }),
    );
  }

  test('one site bucket guarded, the other not: only the other is flagged (a policy protects only its own bucket)', () => {
    const app = new App();
    const s: Stack = stack(app, 'S', 'us-east-1');
    guard(siteBucket(s, 'Guarded'));
    siteBucket(s, 'Open');
    expect(violations(app, 'SiteContentHistoryProtected')).toEqual(['S/Open/Resource']);
  });

  test('compliant: the deny is the second statement, after an unrelated one', () => {
    const app = new App();
    const s = stack(app, 'S', 'us-east-1');
    const bucket = siteBucket(s, 'B');
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.AccountRootPrincipal()],
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    guard(bucket);
    expect(violations(app, 'SiteContentHistoryProtected')).toEqual([]);
  });
});
