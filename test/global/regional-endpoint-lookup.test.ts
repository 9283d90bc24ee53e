import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RegionalEndpointLookup } from '../../lib/global/regional-endpoint-lookup';

test("the stack's lookup provider runs with the role and log group passed in, whatever the number of lookups", () => {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const role = new iam.Role(stack, 'LookupRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const logGroup = new logs.LogGroup(stack, 'LookupLogs', { retention: logs.RetentionDays.ONE_YEAR });
  logGroup.grantWrite(role);
  for (const region of ['us-east-1', 'us-west-2']) {
    new RegionalEndpointLookup(stack, `Lookup-${region}`, {
      domainName: 'www.example.com',
      region,
      providerRole: role,
      providerLogGroup: logGroup,
    });
  }
  const template = Template.fromStack(stack);
  const roleId = stack.getLogicalId(role.node.defaultChild as CfnElement);
  const logsId = stack.getLogicalId(logGroup.node.defaultChild as CfnElement);
  template.resourceCountIs('AWS::Lambda::Function', 1);
  template.resourceCountIs('AWS::IAM::Role', 1);
  template.resourceCountIs('AWS::Logs::LogGroup', 1);
  template.hasResourceProperties('AWS::Lambda::Function', {
    Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
    LoggingConfig: { LogGroup: { Ref: logsId } },
  });
  template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  // Each lookup adds apigateway:GET on its own domain name to the passed role.
  for (const region of ['us-east-1', 'us-west-2']) {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'apigateway:GET',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, `:apigateway:${region}::/domainnames/www.example.com`],
              ],
            },
          },
        ],
      },
    });
  }
});
