import type { CfnResource } from 'aws-cdk-lib';

/** CloudFormation metadata key that marks a bucket as holding the site's content. */
export const SITE_CONTENT_METADATA = 'PortfolioDr';

/**
 * Mark a bucket as holding site content, so the DR rule pack holds it to the DR properties
 * (versioning, cross-region replication, continuous backup, RETAIN). The mark is CloudFormation
 * metadata: it has no effect in AWS.
 */
export function markSiteContent(bucket: CfnResource): void {
  bucket.addMetadata(SITE_CONTENT_METADATA, { content: 'site' });
}

export function isSiteContent(resource: CfnResource): boolean {
  return resource.getMetadata(SITE_CONTENT_METADATA)?.content === 'site';
}
