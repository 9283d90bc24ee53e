/**
 * What the drill stack (lib/drill/drill-stack.ts) and the drill's runtime (lambda/lib/drill/)
 * agree on: S3 prefixes, the report bucket's environment variable, the step names the state
 * machine passes. No CDK import (lambda/contract/).
 */

/** Key prefix of the drill's marker in the site buckets: the site never serves it (see MARKER_KEY). */
export const DRILL_PREFIX = 'drill/';

/**
 * The one marker object every drill overwrites. The site serves only `releases/<live>/...` (the
 * API maps each path under the live release's prefix), so this key is never served; readiness's
 * live-release check compares that prefix only, and replication carries the marker like any
 * object, so the drift check and failback's validation see it once it has arrived. One fixed key
 * means markers never accumulate: each drill adds one noncurrent version, which the site bucket's
 * `bound-version-history` rule expires after the version retention, and nothing is ever deleted
 * (no DeleteObject, no version deletion: site history is untouched).
 */
export const MARKER_KEY = `${DRILL_PREFIX}marker.json`;

/** Prefix of the drill reports in the report bucket: `drills/<drillId>/report.{json,md}`. */
export const REPORT_PREFIX = 'drills/';

/** Environment variable of the drill Lambda naming the report bucket. */
export const DRILL_REPORT_BUCKET_ENV = 'DR_DRILL_REPORT_BUCKET';

/**
 * The drill Lambda's steps, in the order the state machine runs them. A failure before the
 * failback runs `abort` (fail back if the failover was attempted); after a failback, by either
 * path, `pollPrimary` validates it; `finish` reports.
 */
export type DrillStepName =
  'start' | 'failover' | 'pollStandby' | 'writeMarker' | 'pollMarker' | 'failback' | 'pollPrimary' | 'finish' | 'abort';
