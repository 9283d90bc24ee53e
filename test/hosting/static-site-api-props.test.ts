import { App, type CfnElement, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { StaticSiteApi, type StaticSiteApiProps } from '../../lib/hosting/static-site-api';

type Limits = Pick<StaticSiteApiProps, 'throttlingRateLimit' | 'healthThrottlingRateLimit'>;

function api(limits: Limits | ((stack: Stack) => Limits)) {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  new StaticSiteApi(stack, 'Site', {
    bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'site-bucket-test'),
    liveRelease: 'bootstrap',
    ...(typeof limits === 'function' ? limits(stack) : limits),
  });
  return stack;
}

const refusal = (prop: string, value: number) =>
  `StaticSiteApi S/Site: ${prop} must be a whole number of requests per second from 1 to 2500 (the burst, twice the rate, must fit API Gateway's default account burst quota of 5000), got ${value}`;

describe('StaticSiteApi rate limits', () => {
  test.each(['throttlingRateLimit', 'healthThrottlingRateLimit'] as const)(
    '%s refuses bad values, naming them',
    (prop) => {
      for (const value of [0, -1, 2.5, 2501, Number.NaN]) {
        expect(() => api({ [prop]: value })).toThrow(refusal(prop, value));
      }
    },
  );

  test('the bounds are accepted; each method gets a burst of twice its rate', () => {
    const template = Template.fromStack(api({ throttlingRateLimit: 2500, healthThrottlingRateLimit: 1 }));
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [
        { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 2500, ThrottlingBurstLimit: 5000 },
        { HttpMethod: 'GET', ResourcePath: '/~1healthz', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 },
      ],
    });
  });

  test('a value known only at deploy time (a token) is not checked at synth', () => {
    expect(() =>
      api((stack) => ({ throttlingRateLimit: new CfnParameter(stack, 'Rate', { type: 'Number' }).valueAsNumber })),
    ).not.toThrow();
  });
});

describe('StaticSiteApi CloudWatch role', () => {
  test('is built and held by the construct, and the stage waits for the account setting', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const site = new StaticSiteApi(stack, 'Site', {
      bucket: s3.Bucket.fromBucketName(stack, 'Bucket', 'site-bucket-test'),
      liveRelease: 'bootstrap',
    });
    const template = Template.fromStack(stack);
    const roleId = stack.getLogicalId(site.cloudWatchRole.node.defaultChild as CfnElement);
    // The ids RestApi's own `cloudWatchRole: true` gives them, so a deployed stack keeps both.
    expect(roleId).toMatch(/^SiteApiCloudWatchRole[0-9A-F]{8}$/);
    const accounts = template.findResources('AWS::ApiGateway::Account');
    expect(Object.keys(accounts)).toEqual([expect.stringMatching(/^SiteApiAccount[0-9A-F]{8}$/)]);
    const [accountId, account] = Object.entries(accounts)[0];
    expect(account).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } },
    });
    template.hasResource('AWS::IAM::Role', { DeletionPolicy: 'Retain', Properties: Match.anyValue() });
    const stages = Object.values(template.findResources('AWS::ApiGateway::Stage'));
    expect(stages).toHaveLength(1);
    expect(stages[0].DependsOn).toContain(accountId);
  });
});
