import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GlobalDnsStack } from '../../lib/global/global-dns-stack';
import { loadAssembly } from '../../lib/posture/assembly';
import { manualFailover } from '../../lib/posture/objectives';
import { TRAFFIC_SWITCH_ALARM } from '../../lambda/contract/traffic-switch';
import { buildUnits, sharedTemplates } from '../support/app';
import { pagingTopicArn } from '../support/paging';

// The default app's templates come from the run's shared synthesis. The construct tree (regions,
// dependencies) and the other configs build only the global stack, with the hosting stacks where a
// test needs them (test/portfolio-dr-app.test.ts: a unit's templates equal the whole app's), and
// synthesize them without the synth-time checks, which test/nag.test.ts and
// test/posture/dr-checks.test.ts run on the whole app.
const t = buildUnits(['hosting', 'global'], undefined, { bundling: false });
const { global } = sharedTemplates();

function healthChecks(): Record<string, any> {
  return global.findResources('AWS::Route53::HealthCheck');
}

function idOfCheck(predicate: (config: any) => boolean): string {
  const found = Object.entries(healthChecks()).filter(([, hc]) => predicate(hc.Properties.HealthCheckConfig));
  expect(found).toHaveLength(1);
  return found[0][0];
}

const primaryHttps = () => idOfCheck((c) => c.FullyQualifiedDomainName === 'us-east-1.www.example.com');
const standbyHttps = () => idOfCheck((c) => c.FullyQualifiedDomainName === 'us-west-2.www.example.com');
const switchCheck = () => idOfCheck((c) => c.Type === 'CLOUDWATCH_METRIC');
const calculated = () => idOfCheck((c) => c.Type === 'CALCULATED');

describe('global DNS stack', () => {
  test('lives in us-east-1, where Route 53 publishes health-check metrics', () => {
    expect(t.stacks.global.region).toBe('us-east-1');
  });

  test.each([
    ['primary', 'us-east-1'],
    ['standby', 'us-west-2'],
  ])('the %s region has an HTTPS health check on /healthz with a string match, from config', (_role, region) => {
    global.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS_STR_MATCH',
        FullyQualifiedDomainName: `${region}.www.example.com`,
        Port: 443,
        ResourcePath: '/healthz',
        SearchString: 'portfolio-ok',
        RequestInterval: 30,
        FailureThreshold: 3,
        EnableSNI: true,
      },
    });
  });

  test('interval and failure threshold follow the config', () => {
    const fast = buildUnits(
      ['global'],
      { ...t.config, healthCheck: { intervalSeconds: 10, failureThreshold: 2, searchString: 'ok' } },
      { bundling: false, checks: false },
    );
    const hcs = Object.values(Template.fromStack(fast.stacks.global).findResources('AWS::Route53::HealthCheck')).filter(
      (hc) => hc.Properties.HealthCheckConfig.Type === 'HTTPS_STR_MATCH',
    );
    expect(hcs).toHaveLength(2);
    for (const hc of hcs) {
      expect(hc.Properties.HealthCheckConfig).toMatchObject({
        RequestInterval: 10,
        FailureThreshold: 2,
        SearchString: 'ok',
      });
    }
  });

  test('the traffic switch health check watches the switch alarm in the standby region', () => {
    expect(healthChecks()[switchCheck()].Properties.HealthCheckConfig).toEqual({
      Type: 'CLOUDWATCH_METRIC',
      AlarmIdentifier: { Name: 'portfolio-traffic-switch', Region: 'us-west-2' },
      InsufficientDataHealthStatus: 'LastKnownStatus',
      Inverted: false,
    });
  });

  test("the switch check's logical id carries the fingerprint of the shared switch settings (stable for the defaults)", () => {
    expect(switchCheck()).toBe('TrafficSwitchHealth3A9220C3');
    global.hasOutput('TrafficSwitchHealthCheckId', { Value: { Ref: 'TrafficSwitchHealth3A9220C3' } });
  });

  test('changing the switch period replaces the switch check: new id in the calculated check, the output and the alarm', () => {
    // Rebuild the stacks that read the shared definition with it changed, as an edit of that file would.
    const changed = switchSettingsChangedTo({ periodSeconds: 120 });
    expect(changed.switchCheckIds).toHaveLength(1);
    expect(changed.switchCheckIds[0]).toMatch(/^TrafficSwitchHealth[0-9A-F]{8}$/);
    expect(changed.switchCheckIds[0]).not.toBe(switchCheck());
    expect(changed.childChecks).toContainEqual({ Ref: changed.switchCheckIds[0] });
    expect(changed.output).toEqual({ Ref: changed.switchCheckIds[0] });
    expect(changed.switchAlarmPeriod).toBe(120);
    // The RTO budget of a manual failover reads the period from the synthesized alarm.
    expect(changed.manualFailoverFirstTerm).toMatch(/^1 x 120 s period \+/);
  });

  test('the primary is "serving" only while its HTTPS check AND the switch are healthy', () => {
    expect(healthChecks()[calculated()].Properties.HealthCheckConfig).toEqual({
      Type: 'CALCULATED',
      ChildHealthChecks: [{ Ref: primaryHttps() }, { Ref: switchCheck() }],
      HealthThreshold: 2,
      Inverted: false,
    });
  });

  test('the PRIMARY failover record uses the calculated health check and evaluates target health', () => {
    global.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'www.example.com.',
      Type: 'A',
      Failover: 'PRIMARY',
      SetIdentifier: 'primary-us-east-1',
      HealthCheckId: { Ref: calculated() },
      AliasTarget: Match.objectLike({ EvaluateTargetHealth: true }),
    });
  });

  test('a SECONDARY record exists for the same name and type, with the standby deep check, evaluating target health', () => {
    global.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'www.example.com.',
      Type: 'A',
      Failover: 'SECONDARY',
      SetIdentifier: 'standby-us-west-2',
      HealthCheckId: { Ref: standbyHttps() },
      AliasTarget: Match.objectLike({ EvaluateTargetHealth: true }),
    });
  });

  test.each([
    ['PRIMARY', 'us-east-1'],
    ['SECONDARY', 'us-west-2'],
  ])('the %s record aliases the API Gateway domain looked up in %s', (failover, region) => {
    const record = Object.values(global.findResources('AWS::Route53::RecordSet')).find(
      (r) => r.Properties.Failover === failover,
    )!;
    const lookupId = record.Properties.AliasTarget.DNSName['Fn::GetAtt'][0];
    const lookup = global.toJSON().Resources[lookupId];
    expect(lookup.Type).toBe('Custom::AWS');
    const create = JSON.parse(JSON.stringify(lookup.Properties.Create));
    expect(JSON.stringify(create)).toContain(`\\"region\\":\\"${region}\\"`);
    expect(JSON.stringify(create)).toContain('\\"domainName\\":\\"www.example.com\\"');
    expect(record.Properties.AliasTarget.HostedZoneId).toEqual({ 'Fn::GetAtt': [lookupId, 'regionalHostedZoneId'] });
  });

  test('the lookups may only write their log group and read the two API Gateway domain names', () => {
    const statements = Object.values(global.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const logsId = Object.keys(global.findResources('AWS::Logs::LogGroup'))[0];
    expect(Object.values(global.findResources('AWS::IAM::Role')).map((r) => r.Properties.ManagedPolicyArns)).toEqual([
      undefined,
    ]);
    expect(statements).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logsId, 'Arn'] },
      },
      {
        Action: 'apigateway:GET',
        Effect: 'Allow',
        Resource: 'arn:aws:apigateway:us-east-1::/domainnames/www.example.com',
      },
      {
        Action: 'apigateway:GET',
        Effect: 'Allow',
        Resource: 'arn:aws:apigateway:us-west-2::/domainnames/www.example.com',
      },
    ]);
  });

  test.each([
    ['primary HTTPS', primaryHttps, 'high'],
    ['standby HTTPS', standbyHttps, 'low'],
    ['primary serving (calculated)', calculated, 'high'],
  ] as const)('an alarm on the %s health check pages at its urgency', (_name, checkId, urgency) => {
    const topic = pagingTopicArn('us-east-1', urgency, true);
    global.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Dimensions: [{ Name: 'HealthCheckId', Value: { Ref: checkId() } }],
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [topic],
      OKActions: [topic],
      AlarmDescription: Match.stringLikeRegexp('Runbook: docs/runbooks/'),
    });
  });

  test.each([
    ['portfolio-primary-unhealthy', 'Primary region us-east-1 fails', 'service-degradation'],
    ['portfolio-standby-unhealthy', 'Standby region us-west-2 fails', 'service-degradation'],
    ['portfolio-serving-from-standby', 'The primary is out of service', 'failover'],
  ])('the alarm %s has a fixed name and links its runbook', (name, text, runbook) => {
    global.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: name,
      AlarmDescription: Match.stringLikeRegexp(`^${text}.* Runbook: docs/runbooks/${runbook}\\.md$`),
    });
  });

  test('has no paging topic of its own: it pages through the paging stack of us-east-1, deployed first', () => {
    expect(global.findResources('AWS::SNS::Topic')).toEqual({});
    expect(t.stacks.global.dependencies).toContain(t.stacks.paging.get('us-east-1'));
  });

  test('is deployed after both hosting stacks', () => {
    expect(t.stacks.global.dependencies).toEqual(
      expect.arrayContaining([t.stacks.hosting.primary, t.stacks.hosting.standby]),
    );
  });

  test('refuses a region other than us-east-1', () => {
    const app = new App();
    expect(
      () =>
        new GlobalDnsStack(app, 'g', {
          config: t.config,
          pager: t.stacks.pager,
          env: { account: '111111111111', region: 'eu-west-1' },
        }),
    ).toThrow('GlobalDnsStack g: env.region must be "us-east-1" (Route 53 metrics live there), got "eu-west-1"');
  });
});

/**
 * Build the hosting and global stacks again with TRAFFIC_SWITCH_ALARM changed, and synthesize them.
 * The stacks read the shared object while they are built (lib/hosting/traffic-switch.ts,
 * lib/global/global-dns-stack.ts), so changing its properties for the build, in this module
 * registry, is an edit of lambda/contract/traffic-switch.ts as the stacks see it; the properties are
 * restored before this returns.
 */
function switchSettingsChangedTo(change: Partial<typeof TRAFFIC_SWITCH_ALARM>) {
  const replaced = Object.entries(change).map(([key, value]) =>
    jest.replaceProperty(TRAFFIC_SWITCH_ALARM, key as keyof typeof TRAFFIC_SWITCH_ALARM, value as never),
  );
  try {
    const built = buildUnits(['hosting', 'global'], undefined, { bundling: false, checks: false });
    const global = Template.fromStack(built.stacks.global);
    const hostingStandby = Template.fromStack(built.stacks.hosting.standby);
    const checks = global.findResources('AWS::Route53::HealthCheck');
    const ids = Object.keys(checks).filter(
      (id) => checks[id].Properties.HealthCheckConfig.Type === 'CLOUDWATCH_METRIC',
    );
    const calc = Object.values(checks).find((c: any) => c.Properties.HealthCheckConfig.Type === 'CALCULATED') as any;
    const alarm = Object.values(
      hostingStandby.findResources('AWS::CloudWatch::Alarm', {
        Properties: { AlarmName: 'portfolio-traffic-switch' },
      }),
    )[0] as any;
    return {
      switchCheckIds: ids,
      childChecks: calc.Properties.HealthCheckConfig.ChildHealthChecks,
      output: global.findOutputs('TrafficSwitchHealthCheckId').TrafficSwitchHealthCheckId.Value,
      switchAlarmPeriod: alarm.Properties.Period,
      manualFailoverFirstTerm: manualFailover(loadAssembly(built.app.synth().directory)).terms[0].formula,
    };
  } finally {
    for (const property of replaced) property.restore();
  }
}

describe('DR dashboard in the global stack', () => {
  test("graphs the HealthCheckStatus of this stack's three health checks by reference (same stack, us-east-1)", () => {
    const [dashboard] = Object.values(global.findResources('AWS::CloudWatch::Dashboard'));
    const refs = (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[])
      .filter((part): part is { Ref: string } => typeof part === 'object' && part !== null && 'Ref' in part)
      .map((part) => part.Ref)
      .filter((ref) => ref !== 'AWS::Partition');
    expect(refs).toEqual([primaryHttps(), standbyHttps(), calculated()]);
  });
});
