import { App } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { namedSiteBucket, siteBucket, stack, violations } from './fixtures';

// DR-SiteContentReplicated beyond test/posture/dr-rules.test.ts: several site buckets in the standby
// region, only one of them the replica; destinations that are not site content.

const rule = (destination: s3.IBucket): s3.ReplicationRule => ({
  destination,
  replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
  metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
  deleteMarkerReplication: true,
});

describe('DR-SiteContentReplicated with several buckets', () => {
  test('a site bucket in the standby region that no rule targets is no replica, though its neighbour is', () => {
    const app = new App();
    const standby = stack(app, 'Standby', 'us-west-2');
    const replica = namedSiteBucket(standby, 'Replica');
    namedSiteBucket(standby, 'Stray');
    siteBucket(stack(app, 'Primary', 'us-east-1'), 'Source', { replicationRules: [rule(replica)] });
    expect(violations(app, 'SiteContentReplicated')).toEqual(['Standby/Stray/Resource']);
  });

  test('non-compliant: the destination is a named bucket of another region that holds no site content', () => {
    const app = new App();
    const plain = new s3.Bucket(stack(app, 'Standby', 'us-west-2'), 'Plain', {
      bucketName: 'plain-replica-bucket',
      versioned: true,
    });
    siteBucket(stack(app, 'Primary', 'us-east-1'), 'Source', { replicationRules: [rule(plain)] });
    expect(violations(app, 'SiteContentReplicated')).toEqual(['Primary/Source/Resource']);
  });

  test('non-compliant: the destination is an unnamed bucket of the same stack (its ARN is a token)', () => {
    const app = new App();
    const s = stack(app, 'Primary', 'us-east-1');
    const local = siteBucket(s, 'Local');
    siteBucket(s, 'Source', { replicationRules: [rule(local)] });
    expect(violations(app, 'SiteContentReplicated')).toEqual(['Primary/Local/Resource', 'Primary/Source/Resource']);
  });
});
