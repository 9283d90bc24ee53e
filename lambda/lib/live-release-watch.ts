import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, paginateGetParameterHistory, type SSMClient } from '@aws-sdk/client-ssm';
import { InputError } from '../contract/errors';
import { releasePrefix } from '../contract/site';

/**
 * The "live release changed" early warning (issue 10): releases are immutable once published, so
 * any write or delete under the live release's prefix `releases/<live>/` of a site bucket pages high
 * urgency. An EventBridge rule sends every S3 "Object Created" and "Object Deleted" event under
 * `releases/` of the region's site bucket here (the rule cannot name the live release: it changes
 * at run time); this reads which release was live when the event happened and pages when the key
 * is under it.
 *
 * What S3 puts in the event (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html):
 * the bucket, key, version id, `reason` (PutObject, POST Object, CopyObject,
 * CompleteMultipartUpload; DeleteObject or Lifecycle Expiration), `deletion-type` (Delete Marker
 * Created or Permanently Deleted), `requester` (the account id, or the AWS service principal, that
 * made the request: not the IAM user or role) and `source-ip-address`. The IAM principal is only in
 * CloudTrail data events, which this app does not record (docs/runbooks/live-release-changed.md).
 * Delivery is at least once and may be delayed (seconds, sometimes a minute or more), so the page
 * may come twice (same event id) and the live release is judged at the event's time, not at
 * delivery.
 */

export type ObjectEventType = 'Object Created' | 'Object Deleted';

/** The fields of an S3 EventBridge event this warning reads. */
export interface S3ObjectEvent {
  readonly id: string;
  readonly detailType: ObjectEventType;
  /** When S3 recorded the change (whole seconds, UTC). */
  readonly time: Date;
  readonly region: string;
  readonly bucket: string;
  /** The key as the event carries it. */
  readonly key: string;
  readonly versionId?: string;
  readonly reason?: string;
  readonly deletionType?: string;
  readonly requester?: string;
  readonly sourceIp?: string;
}

/** An event this function cannot read: EventBridge sent something other than an S3 object event. */
export class S3EventError extends InputError {}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Read an S3 EventBridge object event, or throw naming the field and the value found. */
export function parseS3ObjectEvent(event: unknown): S3ObjectEvent {
  const e = (event ?? {}) as Record<string, any>;
  const problem = (field: string, got: unknown, expected: string) =>
    new S3EventError(`S3 event ${field}: got ${JSON.stringify(got) ?? 'undefined'}, expected ${expected}`);
  if (e.source !== 'aws.s3') throw problem('source', e.source, '"aws.s3"');
  const detailType = e['detail-type'];
  if (detailType !== 'Object Created' && detailType !== 'Object Deleted') {
    throw problem('detail-type', detailType, '"Object Created" or "Object Deleted"');
  }
  const time = new Date(str(e.time) ?? NaN);
  if (Number.isNaN(time.getTime())) throw problem('time', e.time, 'an ISO-8601 instant');
  const detail = (e.detail ?? {}) as Record<string, any>;
  const bucket = str(detail.bucket?.name);
  if (!bucket) throw problem('detail.bucket.name', detail.bucket?.name, 'a bucket name');
  const key = str(detail.object?.key);
  if (!key) throw problem('detail.object.key', detail.object?.key, 'an object key');
  return {
    id: str(e.id) ?? '(no id)',
    detailType,
    time,
    region: str(e.region) ?? '(no region)',
    bucket,
    key,
    versionId: str(detail.object?.['version-id']),
    reason: str(detail.reason),
    deletionType: str(detail['deletion-type']),
    requester: str(detail.requester),
    sourceIp: str(detail['source-ip-address']),
  };
}

/**
 * Whether `key` is under `releases/<release>/`. AWS documents URL-encoded keys for the classic
 * notifications (SNS, SQS, Lambda: "red flower.jpg" becomes "red+flower.jpg") but not for
 * EventBridge events, whose documented key-prefix filters match raw keys. Release ids hold only
 * letters, digits, `.`, `_` and `-` (RELEASE_ID), which URL encoding leaves alone, so the prefix
 * has one encoded form, `releases%2F<release>%2F`: both forms match, whichever S3 sends. A
 * lookalike (`releases/<release>-old/`) does not: the prefix ends with the slash.
 */
export function underRelease(key: string, release: string): boolean {
  if (release === '') return false;
  if (key.startsWith(releasePrefix(release))) return true;
  const encoded = releasePrefix(release).replace(/\//g, '%2F');
  return key.slice(0, encoded.length).toUpperCase() === encoded.toUpperCase();
}

/** Which releases were live at some instant of [from, to): one, or two when a switch fell inside. */
export async function releasesLiveDuring(ssm: SSMClient, parameter: string, from: Date, to: Date): Promise<string[]> {
  const current = (await ssm.send(new GetParameterCommand({ Name: parameter }))).Parameter;
  const value = current?.Value ?? '';
  const modified = current?.LastModifiedDate;
  // Live since before the window: the common case, one call.
  if (modified === undefined || modified.getTime() <= from.getTime()) return [value];

  // The live release was switched after the window began: replay the history (versions oldest
  // first) to find what was live during it. SSM keeps the last 100 versions.
  const history: { version: number; value: string; at: number }[] = [];
  for await (const page of paginateGetParameterHistory({ client: ssm }, { Name: parameter })) {
    for (const p of page.Parameters ?? []) {
      history.push({ version: p.Version ?? 0, value: p.Value ?? '', at: p.LastModifiedDate?.getTime() ?? 0 });
    }
  }
  history.sort((a, b) => a.version - b.version);
  const before = history.filter((h) => h.at <= from.getTime()).pop();
  const during = history.filter((h) => h.at > from.getTime() && h.at < to.getTime()).map((h) => h.value);
  if (before === undefined && history[0]?.version !== 1) {
    throw new Error(
      `parameter ${parameter}: its retained history (versions ${history[0]?.version ?? '?'} to ${history.at(-1)?.version ?? '?'}) starts after ${from.toISOString()}`,
    );
  }
  // No version before the window and version 1 retained: the parameter did not exist yet.
  return [...new Set([...(before ? [before.value] : []), ...during])];
}

/** The `reason` of an S3 "Object Deleted" event that a lifecycle rule caused. */
export const LIFECYCLE_EXPIRATION = 'Lifecycle Expiration';

export interface WatchDeps {
  /** SSM of the bucket's region: the live release parameter there. */
  readonly ssm: SSMClient;
  readonly sns: SNSClient;
  /** Name of the live release parameter (`Deployment.parameters.liveRelease`). */
  readonly parameter: string;
  /** The high-urgency paging topic of the bucket's region. */
  readonly topicArn: string;
  /** The app's name, first in the page's subject. */
  readonly appName: string;
  /** The line the page ends with, e.g. `Runbook: docs/runbooks/live-release-changed.md`. */
  readonly runbook: string;
}

export interface WatchResult {
  /** `paged`: the key is under the live release; `unknown`: paged, the live release could not be read. */
  readonly outcome: 'paged' | 'unknown' | 'ignored';
  readonly key: string;
  /** The releases live when the event happened (absent when unknown). */
  readonly live?: readonly string[];
  readonly messageId?: string;
}

/**
 * Judge one S3 object event and page when it changed the live release, or when the live release
 * cannot be read (fail safe: a change might go unseen otherwise). A failed publish throws, so the
 * invocation fails, Lambda retries it, and the function's errors alarm pages.
 */
export async function watchLiveRelease(raw: unknown, deps: WatchDeps): Promise<WatchResult> {
  const event = parseS3ObjectEvent(raw);
  // The site buckets' lifecycle expires only noncurrent versions (the bounded history, SiteBucket
  // `bound-version-history`): what is served does not change, so their expiry does not page.
  if (event.reason === LIFECYCLE_EXPIRATION) return { outcome: 'ignored', key: event.key };
  let live: string[];
  try {
    // S3 event times are whole seconds: the change happened somewhere in that second.
    live = await releasesLiveDuring(deps.ssm, deps.parameter, event.time, new Date(event.time.getTime() + 1000));
  } catch (err) {
    const why = `${(err as Error).name}: ${(err as Error).message}`;
    const messageId = await publish(deps, subject(deps.appName, 'live release unknown', event.region), [
      `The live release of ${deps.appName} in ${event.region} could not be read (${why}), so this change under releases/ pages in case it changed the live release.`,
      ...describe(event),
      `Check which release is live (npx drctl status) and whether this key is under it.`,
      deps.runbook,
    ]);
    return { outcome: 'unknown', key: event.key, messageId };
  }
  const changed = live.find((release) => underRelease(event.key, release));
  if (changed === undefined) return { outcome: 'ignored', key: event.key, live };
  const messageId = await publish(deps, subject(deps.appName, `live release ${changed} changed`, event.region), [
    `The live release ${changed} of ${deps.appName} changed in ${event.region}: ${what(event)} under ${releasePrefix(changed)} of bucket ${event.bucket}. Releases are immutable once published; the site may now serve other content than was released.`,
    ...describe(event),
    deps.runbook,
  ]);
  return { outcome: 'paged', key: event.key, live, messageId };
}

function what(event: S3ObjectEvent): string {
  if (event.detailType === 'Object Created') return `an object was written (${event.reason ?? 'reason not given'})`;
  if (event.deletionType === 'Delete Marker Created') return 'an object was deleted (a delete marker was created)';
  if (event.deletionType === 'Permanently Deleted') return 'an object version was permanently deleted';
  return `an object was deleted (${event.deletionType ?? 'deletion type not given'})`;
}

function describe(event: S3ObjectEvent): string[] {
  return [
    `Key: ${event.key}`,
    `Version id: ${event.versionId ?? 'not given'}`,
    `Event: ${event.detailType}${event.reason ? ` (${event.reason}${event.deletionType ? `, ${event.deletionType}` : ''})` : ''} at ${event.time.toISOString()} in bucket ${event.bucket}, event id ${event.id}`,
    // S3's events name the account or AWS service that made the request, never the IAM user or role.
    `Requester: ${event.requester ?? 'not given'} (the account or AWS service S3 names; the IAM principal is only in CloudTrail data events)`,
    `Source IP: ${event.sourceIp ?? 'not given'}`,
  ];
}

/** SNS subjects: printable ASCII, at most 100 characters (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html). */
function subject(appName: string, what: string, region: string): string {
  return `${appName}: ${what} (${region})`.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

async function publish(deps: WatchDeps, subjectLine: string, lines: string[]): Promise<string | undefined> {
  const out = await deps.sns.send(
    new PublishCommand({ TopicArn: deps.topicArn, Subject: subjectLine, Message: lines.join('\n') }),
  );
  return out.MessageId;
}
