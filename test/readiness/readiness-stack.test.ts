import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { READINESS_CHECKS } from '../../lambda/contract/assurance';
import { READINESS_ALARMS, ReadinessStack } from '../../lib/readiness/readiness-stack';
import type { Urgency } from '../../lib/shared/alarm-pager';
import { defaultConfigAsWritten } from '../support/config';

/** A small stack in a fresh app, with inline code (no bundling), and a pager that records. */
function build() {
  const paged: [string, Urgency][] = [];
  const pager = {
    page: (alarm: cloudwatch.Alarm, urgency: Urgency) =>
      paged.push([(alarm.node.defaultChild as cloudwatch.CfnAlarm).alarmName!, urgency]),
  };
  const config = defaultConfigAsWritten(); // built while loading: see defaultConfigAsWritten
  const stack = new ReadinessStack(new App(), 'Readiness', {
    env: { account: '111111111111', region: config.regions.standby },
    config,
    pager,
    code: lambda.Code.fromInline('exports.readiness = async () => ({})'),
  });
  return { template: Template.fromStack(stack), paged, stack };
}

const { template, paged } = build();

describe('ReadinessStack', () => {
  test('the readiness function: fixed name for the drill, its handler, traced, at most two runs at once', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'portfolio-readiness',
      Handler: 'index.readiness',
      ReservedConcurrentExecutions: 2,
      TracingConfig: { Mode: 'Active' },
      Timeout: 120,
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 900,
    });
  });

  test('runs every 15 minutes on an EventBridge schedule, retrying a throttled delivery until the next run', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReadinessFunction'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
        }),
      ],
    });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  test.each(READINESS_CHECKS.map((check) => [check]))(
    'alarm on %s: its metric, missing data breaching, its runbook',
    (check) => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `portfolio-readiness-${check}`,
        Namespace: 'portfolio/DR-Assurance',
        MetricName: 'ReadinessCheckFailed',
        Dimensions: [{ Name: 'Check', Value: check }],
        Period: 1800,
        Statistic: check === 'replication-drift' ? 'Minimum' : 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'breaching',
        AlarmDescription: Match.stringLikeRegexp(
          `^Readiness check ${check} failed: .*Urgency: ${READINESS_ALARMS[check].urgency}\\. Runbook: docs/runbooks/readiness\\.md$`,
        ),
      });
    },
  );

  test('each alarm is paged once, at its urgency: high when the standby could not take traffic', () => {
    expect(paged).toEqual([
      ['portfolio-readiness-health-checks', 'high'],
      ['portfolio-readiness-traffic-switch', 'low'],
      ['portfolio-readiness-replication-drift', 'high'],
      ['portfolio-readiness-live-release', 'high'],
      ['portfolio-readiness-certificates', 'low'],
      ['portfolio-readiness-recovery-point', 'low'],
      ['portfolio-readiness-hosting-settings', 'high'],
    ]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', READINESS_CHECKS.length);
  });

  test('the role reads only, and publishes metrics only into the assurance namespace', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const actions = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    expect([...actions].sort()).toEqual([
      'acm:DescribeCertificate',
      'acm:ListCertificates',
      'apigateway:GET',
      'backup:ListRecoveryPointsByBackupVault',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:PutMetricData',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'route53:GetHealthCheckStatus',
      'route53:ListHealthChecks',
      's3:ListBucket',
      'ssm:GetParameter',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'cloudwatch:PutMetricData',
            Effect: 'Allow',
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': 'portfolio/DR-Assurance' } },
          },
          {
            Action: 'cloudwatch:DescribeAlarms',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudwatch:us-west-2:111111111111:alarm:portfolio-traffic-switch',
                ],
              ],
            },
          },
          {
            Action: 's3:ListBucket',
            Effect: 'Allow',
            Resource: [Match.anyValue(), Match.anyValue()],
          },
        ]),
      },
    });
  });

  test('lists only the two site buckets', () => {
    const json = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(json).toContain(':s3:::portfolio-site-111111111111-us-east-1');
    expect(json).toContain(':s3:::portfolio-site-111111111111-us-west-2');
    expect(json).not.toContain('s3:GetObject');
  });

  test('outputs the function name', () => {
    template.hasOutput('ReadinessFunctionName', { Value: { Ref: Match.stringLikeRegexp('^ReadinessFunction') } });
  });
});
