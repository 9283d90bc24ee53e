// How a stack of the default app reaches its region's paging topic: the ARN built from the
// topic's deterministic name (lib/paging/topic-pager.ts), as it appears in a template.
import type { Urgency } from '../../lib/shared/alarm-pager';

export function pagingTopicArn(region: string, urgency: Urgency, appName = 'portfolio', account = '111111111111') {
  return {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:${region}:${account}:${appName}-page-${urgency}`]],
  };
}
