import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * How urgently an alarm pages, from the incident-response model's severity table
 * (docs/incident-response.md): `high` for SEV1/SEV2 (the site is down or about to lose data, page
 * now), `low` for SEV3 (a warning, handled in working hours).
 */
export type Urgency = 'high' | 'low';

/** Something that routes an alarm's ALARM (and OK) notifications to the topic of an urgency. */
export interface AlarmPager {
  page(alarm: cloudwatch.Alarm, urgency: Urgency): void;
}
