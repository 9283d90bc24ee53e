import { type CfnResource, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { isSiteContent } from '../site-content';
import { allResources, arnResource, resolved } from './support';

/** The site-content bucket of another stack that `destination` (an S3 bucket ARN) names, if any. */
function destinationBucket(node: CfnResource, destination: unknown): s3.CfnBucket | undefined {
  const name = arnResource(destination);
  if (name === undefined) return undefined;
  return allResources(node).find(
    (r): r is s3.CfnBucket => r instanceof s3.CfnBucket && isSiteContent(r) && resolved(r, r.bucketName) === name,
  );
}

/** Whether one rule replicates every object and delete marker to a site-content bucket in another region. */
function replicatesWholeBucketAcrossRegions(node: s3.CfnBucket, rule: any): boolean {
  const target = destinationBucket(node, rule.destination?.bucket);
  return (
    rule.status === 'Enabled' &&
    (rule.filter?.prefix ?? rule.prefix ?? '') === '' &&
    rule.deleteMarkerReplication?.status === 'Enabled' &&
    target !== undefined &&
    Stack.of(target).region !== Stack.of(node).region
  );
}

/** Whether a rule has Replication Time Control and replication metrics. */
function hasRtcAndMetrics(rule: any): boolean {
  return rule.destination?.replicationTime?.status === 'Enabled' && rule.destination?.metrics?.status === 'Enabled';
}

/**
 * Whether a bucket's replication rules, together, meet the DR bar: one rule replicates the whole
 * bucket to another region, and every enabled rule (that one included) has Replication Time Control
 * and metrics. S3 replicates an object by every enabled rule whose filter matches it (the
 * highest-priority one among rules to the same destination), so an enabled rule without RTC leaves
 * its objects with no replication-time bound, whatever the other rules say
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html).
 * Disabled rules replicate nothing and are ignored.
 */
function rulesMeetDrBar(node: s3.CfnBucket, rules: any[]): boolean {
  return (
    rules.some((rule) => replicatesWholeBucketAcrossRegions(node, rule)) &&
    rules.filter((rule) => rule.status === 'Enabled').every(hasRtcAndMetrics)
  );
}

/**
 * A bucket holding site content replicates every object and delete marker to a site-content
 * bucket in another region, with Replication Time Control and replication metrics; or it is that
 * replica.
 */
export function SiteContentReplicated(node: CfnResource): NagRuleCompliance {
  if (!(node instanceof s3.CfnBucket) || !isSiteContent(node)) return NagRuleCompliance.NOT_APPLICABLE;
  const rules: any[] = resolved(node, node.replicationConfiguration)?.rules ?? [];
  if (rules.length > 0)
    return rulesMeetDrBar(node, rules) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;

  const isReplicaOfAnotherRegion = allResources(node).some((r) => {
    if (!(r instanceof s3.CfnBucket) || r === node || !isSiteContent(r)) return false;
    const theirRules: any[] = resolved(r, r.replicationConfiguration)?.rules ?? [];
    return (
      rulesMeetDrBar(r, theirRules) &&
      theirRules.some(
        (rule) => replicatesWholeBucketAcrossRegions(r, rule) && destinationBucket(r, rule.destination.bucket) === node,
      )
    );
  });
  return isReplicaOfAnotherRegion ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
