import { App, type CfnElement, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SiteBucket } from '../../lib/data/site-bucket';
import { ROOT } from '../support/config';

/** cdk.json's feature flags, which the bucket defaults assume. */
const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;

function siteBucket(versionRetentionDays: number | ((stack: Stack) => number)) {
  const stack = new Stack(new App({ context }), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new SiteBucket(stack, 'Site', {
    versionRetentionDays:
      typeof versionRetentionDays === 'function' ? versionRetentionDays(stack) : versionRetentionDays,
    bucketName: 'site-bucket-test',
    breakGlassRoleName: 'break-glass',
  });
  return stack;
}

describe('SiteBucket versionRetentionDays', () => {
  test.each([0, -3, 1.5, Number.NaN])('refuses %p, naming the construct and the value', (days) => {
    expect(() => siteBucket(days)).toThrow(
      `SiteBucket S/Site: versionRetentionDays must be a whole number of days, 1 or more, got ${days}`,
    );
  });

  test('a value known only at deploy time (a token) is not checked at synth', () => {
    const stack = siteBucket((s) => new CfnParameter(s, 'Days', { type: 'Number' }).valueAsNumber);
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [{ Id: 'bound-version-history', NoncurrentVersionExpiration: { NoncurrentDays: { Ref: 'Days' } } }],
      },
    });
  });

  test('30 days bound the history', () => {
    Template.fromStack(siteBucket(30)).hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [{ Id: 'bound-version-history', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }],
      },
    });
  });
});

describe('SiteBucket replication role', () => {
  test('is built by the construct and given to the bucket, with only the replication grants', () => {
    const stack = new Stack(new App({ context }), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const site = new SiteBucket(stack, 'Site', {
      versionRetentionDays: 30,
      bucketName: 'site-bucket-test',
      breakGlassRoleName: 'break-glass',
      replicateTo: s3.Bucket.fromBucketName(stack, 'Replica', 'replica-bucket-test'),
    });
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(site.replicationRole!.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } },
    });
    template.hasResource('AWS::IAM::Role', {
      Properties: Match.objectLike({
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })],
        }),
        ManagedPolicyArns: Match.absent(),
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              's3:ObjectOwnerOverrideToBucketOwner',
              's3:ReplicateDelete',
              's3:ReplicateObject',
              's3:ReplicateTags',
            ],
            Resource: 'arn:aws:s3:::replica-bucket-test/*',
          }),
        ]),
      },
    });
    // The bucket builds no replication role of its own.
    expect(site.bucket.node.tryFindChild('ReplicationRole')).toBeUndefined();
  });
});
