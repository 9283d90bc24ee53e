import { Template } from 'aws-cdk-lib/assertions';
import { DrChecks } from '../../lib/posture/dr-checks';
import { constructTree, defaultConfig, sharedTemplates } from '../support/app';

/** The DR pack on the whole app (the rules one by one: test/posture/dr-rules.test.ts). */

const ACCOUNT = '111111111111';

describe('DR pack on the app', () => {
  test('the synthesized app has no DR finding', () => {
    const report = new DrChecks().validateScope(constructTree().app);
    expect(report.violations).toEqual([]);
  });

  test('nor with the air-gapped copy on', () => {
    const config = defaultConfig();
    const report = new DrChecks().validateScope(
      constructTree({ ...config, protection: { ...config.protection, airGappedCopy: true } }).app,
    );
    expect(report.violations).toEqual([]);
  });
});

describe('DR-TopicsAdmitTheirPublishers on the app', () => {
  test("the app's paging topics (one per urgency in each paging stack) allow CloudWatch, for this app's alarms only", () => {
    const t = sharedTemplates();
    for (const [template, region] of [
      [t.pagingPrimary, 'us-east-1'],
      [t.pagingStandby, 'us-west-2'],
    ] as [Template, string][]) {
      const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
      expect(policies).toHaveLength(2);
      for (const policy of policies)
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual({
          Sid: 'AllowThisAppsAlarmsToPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: expect.anything(),
          Condition: {
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
            ArnLike: {
              'aws:SourceArn': `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:portfolio-*`,
            },
          },
        });
    }
  });
});
