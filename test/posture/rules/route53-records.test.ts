import { App } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { stack, violations } from './fixtures';

// DR-FailoverRecordsPaired and DR-AliasEvaluatesTargetHealth beyond test/posture/dr-rules.test.ts:
// records that differ from their partner in only one of zone, name and type; plain records beside
// failover and alias records.

/** L1 records in stack G of a fresh App; a PRIMARY one has a health check. */
function records(...specs: { id: string; zone?: string; name?: string; type?: string; failover?: string }[]) {
  const app = new App();
  const s = stack(app, 'G', 'us-east-1');
  const check = new route53.CfnHealthCheck(s, 'HC', {
    healthCheckConfig: { type: 'HTTPS', fullyQualifiedDomainName: 'a.example.com', resourcePath: '/healthz' },
  });
  for (const { id, zone = 'Z1', name = 'www.example.com.', type = 'A', failover } of specs) {
    new route53.CfnRecordSet(s, id, {
      hostedZoneId: zone,
      name,
      type,
      failover,
      setIdentifier: failover ? id : undefined,
      healthCheckId: failover === 'PRIMARY' ? check.attrHealthCheckId : undefined,
      resourceRecords: [type === 'AAAA' ? '2001:db8::1' : '192.0.2.1'],
      ttl: '60',
    });
  }
  return app;
}

describe('DR-FailoverRecordsPaired, partners that differ in one part', () => {
  test('compliant: a pair, with a plain record of the same name beside it (no failover, not applicable)', () => {
    const app = records(
      { id: 'P', failover: 'PRIMARY' },
      { id: 'S', failover: 'SECONDARY' },
      { id: 'Plain', name: 'api.example.com.' },
      { id: 'PlainSame', type: 'TXT' },
    );
    expect(violations(app, 'FailoverRecordsPaired')).toEqual([]);
  });

  test.each<[string, { zone?: string; name?: string; type?: string }]>([
    ['another hosted zone', { zone: 'Z2' }],
    ['another name', { name: 'web.example.com.' }],
    ['another type', { type: 'AAAA' }],
  ])('non-compliant: the SECONDARY is in %s (both flagged)', (_name, secondary) => {
    const app = records({ id: 'P', failover: 'PRIMARY' }, { id: 'S', failover: 'SECONDARY', ...secondary });
    expect(violations(app, 'FailoverRecordsPaired')).toEqual(['G/P', 'G/S']);
  });

  test('non-compliant: a SECONDARY alone', () => {
    expect(violations(records({ id: 'S', failover: 'SECONDARY' }), 'FailoverRecordsPaired')).toEqual(['G/S']);
  });

  test('non-compliant: two PRIMARY records are no pair', () => {
    const app = records({ id: 'P1', failover: 'PRIMARY' }, { id: 'P2', failover: 'PRIMARY' });
    expect(violations(app, 'FailoverRecordsPaired')).toEqual(['G/P1', 'G/P2']);
  });
});

describe('DR-AliasEvaluatesTargetHealth, records that are not aliases', () => {
  test('not applicable: a record with values', () => {
    expect(violations(records({ id: 'Plain' }), 'AliasEvaluatesTargetHealth')).toEqual([]);
  });

  test.each<[string, boolean, string[]]>([
    ['evaluates target health', true, []],
    ['says false', false, ['G/Alias']],
  ])('an L1 alias that %s', (_name, evaluateTargetHealth, expected) => {
    const app = new App();
    new route53.CfnRecordSet(stack(app, 'G', 'us-east-1'), 'Alias', {
      hostedZoneId: 'Z1',
      name: 'www.example.com.',
      type: 'A',
      aliasTarget: {
        dnsName: 'd-1.example.net',
        hostedZoneId: 'Z2',
        evaluateTargetHealth,
      },
    });
    expect(violations(app, 'AliasEvaluatesTargetHealth')).toEqual(expected);
  });
});

describe('DR-SwitchCheckKeepsLastKnownStatus beside other resources', () => {
  test('not applicable: resources that are no health check (a topic beside the switch check)', () => {
    const app = new App();
    const s = stack(app, 'G', 'us-east-1');
    new sns.Topic(s, 'Topic');
    new route53.HealthCheck(s, 'Switch', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { region: 'us-west-2', name: 'switch' },
    });
    expect(violations(app, 'SwitchCheckKeepsLastKnownStatus')).toEqual([]);
  });
});
