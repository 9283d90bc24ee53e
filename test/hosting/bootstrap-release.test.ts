import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BootstrapRelease } from '../../lib/hosting/bootstrap-release';

test('the deployment handler logs to its own log group, one year, and its role writes only there', () => {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const release = new BootstrapRelease(stack, 'Release', {
    bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'site-bucket-test'),
    healthBody: 'portfolio-dr ok',
  });
  const template = Template.fromStack(stack);
  const roleId = stack.getLogicalId(release.role.node.defaultChild as CfnElement);
  const logsId = stack.getLogicalId(release.logGroup.node.defaultChild as CfnElement);
  template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
  template.resourceCountIs('AWS::Logs::LogGroup', 1);
  template.hasResourceProperties('AWS::Lambda::Function', {
    Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
    LoggingConfig: { LogGroup: { Ref: logsId } },
  });
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: Match.objectLike({
      Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
    }),
    ManagedPolicyArns: Match.absent(),
  });
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: roleId }],
    PolicyDocument: {
      Statement: Match.arrayWith([
        {
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logsId, 'Arn'] },
        },
      ]),
    },
  });
});
