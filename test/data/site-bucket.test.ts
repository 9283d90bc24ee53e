import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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
