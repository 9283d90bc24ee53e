import { App, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PLAYBOOK_METADATA } from '../../../lib/recovery/playbook-function';
import { stack, violations } from './fixtures';

// DR-FailoverRolesWithoutRoute53Write beyond test/posture/dr-rules.test.ts: statements that grant by
// exclusion (NotAction) and inline policies written as L1.

/** A failover playbook whose role holds one L1 inline policy with `statements`. */
function failoverWith(...statements: Record<string, unknown>[]) {
  const app = new App();
  const s = stack(app, 'Recovery', 'us-west-2');
  const role = new iam.CfnRole(s, 'Role', {
    assumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    policies: [{ policyName: 'inline', policyDocument: { Version: '2012-10-17', Statement: statements } }],
  });
  const fn = new lambda.CfnFunction(s, 'Failover', {
    role: role.attrArn,
    runtime: 'nodejs24.x',
    handler: 'index.handler',
    code: { zipFile: 'exports.handler = async () => {}' },
  });
  fn.addMetadata(PLAYBOOK_METADATA, { playbook: 'failover' });
  return app;
}

describe('DR-FailoverRolesWithoutRoute53Write, grants by exclusion', () => {
  test('not applicable: a resource other than a function, though it carries playbook metadata', () => {
    const app = new App();
    const role = new iam.CfnRole(stack(app, 'Recovery', 'us-west-2'), 'Role', {
      assumeRolePolicyDocument: { Statement: [] },
    });
    role.addMetadata(PLAYBOOK_METADATA, { playbook: 'failover' });
    expect(violations(app, 'FailoverRolesWithoutRoute53Write')).toEqual([]);
  });

  test('compliant: a policy attached to a group only (no Roles) grants the role nothing', () => {
    const app = failoverWith({ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' });
    const s = app.node.findChild('Recovery') as Stack;
    new iam.CfnPolicy(s, 'GroupPolicy', {
      policyName: 'group',
      groups: ['operators'],
      policyDocument: { Statement: [{ Effect: 'Allow', Action: 'route53:*', Resource: '*' }] },
    });
    expect(violations(app, 'FailoverRolesWithoutRoute53Write')).toEqual([]);
  });

  test.each<[string, Record<string, unknown>]>([
    ['an Allow of everything but S3 (NotAction)', { Effect: 'Allow', NotAction: 's3:*', Resource: '*' }],
    [
      'an Allow of everything but Route 53 reads',
      { Effect: 'Allow', NotAction: ['route53:Get*', 'route53:List*'], Resource: '*' },
    ],
    ['a single action string', { Effect: 'Allow', Action: 'route53:ChangeResourceRecordSets', Resource: '*' }],
  ])('non-compliant: %s', (_name, statement) => {
    expect(violations(failoverWith(statement), 'FailoverRolesWithoutRoute53Write')).toEqual(['Recovery/Failover']);
  });

  test.each<[string, Record<string, unknown>]>([
    ['an Allow of everything but Route 53', { Effect: 'Allow', NotAction: ['route53:*', 's3:*'], Resource: '*' }],
    ['an Allow of everything but everything', { Effect: 'Allow', NotAction: '*', Resource: '*' }],
    ['a Deny by NotAction', { Effect: 'Deny', NotAction: 'cloudwatch:*', Resource: '*' }],
    ['reads only', { Effect: 'Allow', Action: ['route53:GetHealthCheckStatus'], Resource: '*' }],
  ])('compliant: %s', (_name, statement) => {
    expect(violations(failoverWith(statement), 'FailoverRolesWithoutRoute53Write')).toEqual([]);
  });
});
