// How a stack of the default app reaches its region's paging topic: the ARN built from the
// topic's deterministic name (lib/paging/topic-pager.ts), as it appears in a template.
import type { Urgency } from '../../lib/shared/alarm-pager';

/**
 * In a stack of a bare App: `Fn::Join` with the partition. In the app as cdk.json's feature flags
 * build it (`literal`): the partition is written out, as for every ARN of a stack with a known region.
 */
export function pagingTopicArn(region: string, urgency: Urgency, literal = false, appName = 'portfolio') {
  const account = '111111111111';
  if (literal) return `arn:aws:sns:${region}:${account}:${appName}-page-${urgency}`;
  return {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:${region}:${account}:${appName}-page-${urgency}`]],
  };
}
