import type { StackView } from '../../lib/posture/assembly';
import {
  countByType,
  failoverRecords,
  isSiteContentBucket,
  referencedLogicalId,
  referencedResource,
  resourcesAcross,
  resourcesOfType,
} from '../../lib/posture/template-queries';
import { SITE_CONTENT_METADATA } from '../../lib/posture/site-content';

const stack = (stackName: string, Resources: Record<string, any>): StackView => ({
  stackName,
  region: 'us-east-1',
  template: { Resources },
  terminationProtection: false,
});

const global = stack('Global', {
  Check: { Type: 'AWS::Route53::HealthCheck', Properties: {} },
  Primary: { Type: 'AWS::Route53::RecordSet', Properties: { Failover: 'PRIMARY', HealthCheckId: { Ref: 'Check' } } },
  Secondary: { Type: 'AWS::Route53::RecordSet', Properties: { Failover: 'SECONDARY' } },
  Plain: { Type: 'AWS::Route53::RecordSet', Properties: {} },
});
const data = stack('Data', {
  Site: { Type: 'AWS::S3::Bucket', Metadata: { [SITE_CONTENT_METADATA]: { content: 'site' } } },
  Logs: { Type: 'AWS::S3::Bucket' },
});

describe('template queries', () => {
  test.each([
    [{ Ref: 'Bucket' }, 'Bucket'],
    [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, 'Bucket'],
    ['arn:aws:s3:::literal', undefined],
    [{ 'Fn::Join': ['', ['a', { Ref: 'B' }]] }, undefined],
    [null, undefined],
  ])('referencedLogicalId(%j) is %p', (value, expected) => {
    expect(referencedLogicalId(value)).toBe(expected);
  });

  test('referencedResource finds the resource in the same stack only', () => {
    expect(referencedResource(global, { Ref: 'Check' })?.Type).toBe('AWS::Route53::HealthCheck');
    expect(referencedResource(data, { Ref: 'Check' })).toBeUndefined();
    expect(referencedResource(global, 'Check')).toBeUndefined();
  });

  test('resources by type, in one stack and across stacks', () => {
    expect(resourcesOfType(data, 'AWS::S3::Bucket').map(([id]) => id)).toEqual(['Site', 'Logs']);
    expect(resourcesAcross([global, data], 'AWS::S3::Bucket').map((r) => `${r.stack.stackName}/${r.id}`)).toEqual([
      'Data/Site',
      'Data/Logs',
    ]);
  });

  test('failover records and site-content buckets', () => {
    expect(failoverRecords([global, data], 'PRIMARY').map((r) => r.id)).toEqual(['Primary']);
    expect(failoverRecords([global], 'SECONDARY').map((r) => r.id)).toEqual(['Secondary']);
    expect(resourcesOfType(data, 'AWS::S3::Bucket').map(([, b]) => isSiteContentBucket(b))).toEqual([true, false]);
  });

  test('countByType sorts the types', () => {
    expect(countByType(global)).toEqual({ 'AWS::Route53::HealthCheck': 1, 'AWS::Route53::RecordSet': 3 });
  });
});
