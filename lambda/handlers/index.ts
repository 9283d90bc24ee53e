/**
 * Lambda entry points of the recovery playbooks: one bundle, one exported handler per playbook.
 * Each handler only maps its event onto the library in lambda/lib; the CLI (drctl) calls the
 * same functions.
 */
import type { Context } from 'aws-lambda';
import { siteBucket } from '../lib/site-buckets';
import { failbackBlockers } from '../lib/traffic/readiness';
import { flipTrafficSwitch } from '../lib/traffic/switch';
import { readStatus } from '../lib/status';
import { restoreToInstant, type RestoreCheckpoint, type RestoreResult } from '../lib/restore/restore';
import { verifyReplication } from '../lib/replication/verify';
import { switchRelease } from '../lib/release';
import { parseInstant } from '../lib/instant';
import { publishReadiness, runReadiness } from '../lib/readiness/runner';
import type { ReadinessReport } from '../contract/assurance';
import { type DrillEvent, runDrillStep } from '../lib/drill/run';
import { httpsNameProbe } from '../lib/drill/name-probe';
import { DRILL_REPORT_BUCKET_ENV } from '../contract/drill';
import { LIVE_RELEASE_WATCH_ENV } from '../contract/assurance';
import { watchLiveRelease, type WatchResult } from '../lib/live-release-watch';
import { deploymentFromEnv } from '../contract/deployment';
import { snsClient, ssmClient } from '../lib/aws';
import { clients } from './clients';
import type { RegionRole } from '../contract/regions';

/** Leave this much of the invocation for the restore to flush and return its checkpoint. */
export const PAUSE_MARGIN_MS = 120_000;

export interface SwitchEvent {
  readonly apply?: boolean;
  readonly waitSeconds?: number;
}

export async function status() {
  const c = clients();
  return readStatus({ ...c, regions: { ssm: c.ssm, s3: c.s3 } });
}

export async function failover(event: SwitchEvent = {}) {
  const c = clients();
  return flipTrafficSwitch(
    { direction: 'failover', apply: event.apply === true, waitSeconds: event.waitSeconds },
    { cloudwatch: c.cloudwatch.standby, deployment: c.deployment },
  );
}

export async function failback(event: SwitchEvent = {}) {
  const c = clients();
  return flipTrafficSwitch(
    { direction: 'failback', apply: event.apply === true, waitSeconds: event.waitSeconds },
    {
      cloudwatch: c.cloudwatch.standby,
      deployment: c.deployment,
      failbackBlockers: () => failbackBlockers(c.deployment, { ssm: c.ssm, s3: c.s3 }),
    },
  );
}

export interface RestoreEvent {
  /** Which site bucket: the Lambda's role allows these two only. */
  readonly bucket: 'primary' | 'standby';
  readonly prefix?: string;
  /** ISO-8601 instant with seconds and a UTC offset, e.g. 2026-11-28T10:00:00Z. */
  readonly to: string;
  readonly apply?: boolean;
  readonly checkpoint?: RestoreCheckpoint;
  /** Versions per ListObjectVersions page (default and maximum 1,000). */
  readonly pageSize?: number;
}

/** Restore; pauses with a checkpoint before the invocation times out. The state machine loops on it. */
export async function restore(event: RestoreEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const c = clients();
  const instant = parseInstant('to', event.to);
  if (typeof instant === 'string') throw new Error(instant);
  if (event.bucket !== 'primary' && event.bucket !== 'standby') {
    throw new Error(`bucket: got "${String(event.bucket)}", expected "primary" or "standby" (the site buckets)`);
  }
  const bucket = await siteBucket(c.deployment, { ssm: c.ssm, s3: c.s3 }, event.bucket);
  const result: RestoreResult = await restoreToInstant(
    { bucket, prefix: event.prefix, instant, apply: event.apply === true, checkpoint: event.checkpoint },
    {
      s3: c.s3[event.bucket],
      pageSize: event.pageSize,
      shouldPause: () => context.getRemainingTimeInMillis() < PAUSE_MARGIN_MS,
    },
  );
  return restoreOutput(event, result);
}

/**
 * What the restore Lambda returns, which is also the state of the restore state machine: its
 * Choice reads `status` and `totals.failed`, its Pass state keeps `next` (the same request, resumed
 * from the checkpoint, which carries the failure count and sample). Bounded in size: Step Functions
 * passes at most 256 KiB between states, so this invocation's full failure list is left out (the
 * count is `totals.failed`, the first failures are in `failureSample`), and the checkpoint appears
 * once, in `next`.
 */
export function restoreOutput(event: RestoreEvent, result: RestoreResult) {
  const { checkpoint, failures: _all, ...rest } = result;
  return { ...rest, next: checkpoint ? { ...event, checkpoint } : undefined };
}

export interface VerifyEvent {
  readonly prefix?: string;
  readonly apply?: boolean;
}

/** Compare the primary site bucket with its replica (names from SSM). */
export async function verifyReplicationHandler(event: VerifyEvent = {}) {
  const c = clients();
  const regions = { ssm: c.ssm, s3: c.s3 };
  const [source, replica] = await Promise.all([
    siteBucket(c.deployment, regions, 'primary'),
    siteBucket(c.deployment, regions, 'standby'),
  ]);
  return verifyReplication(
    { source, replica, prefix: event.prefix, apply: event.apply === true },
    { sourceS3: c.s3.primary, replicaS3: c.s3.standby },
  );
}

export interface RollbackEvent {
  readonly to?: string;
  readonly apply?: boolean;
  /** Switch one region only, e.g. the standby while the primary region is down. */
  readonly only?: RegionRole;
}

export async function rollbackRelease(event: RollbackEvent = {}) {
  const c = clients();
  return switchRelease({ to: event.to, apply: event.apply === true, only: event.only }, c);
}

/**
 * Readiness, on the schedule (EventBridge) and for the drill: run every check, publish one metric
 * per check, return the report. A failed publish is logged, not thrown: the report still reaches a
 * caller such as the drill, and the alarms, which treat missing data as breaching, fire anyway.
 */
export async function readiness(): Promise<ReadinessReport> {
  const c = clients();
  const report = await runReadiness(c);
  try {
    await publishReadiness(c.cloudwatch.standby, c.deployment.appName, report);
  } catch (err) {
    console.error(`readiness: PutMetricData failed: ${(err as Error).name}: ${(err as Error).message}`);
  }
  return report;
}

/** One step of the game-day drill state machine (lib/drill/drill-stack.ts): `{ step, drill }`. */
export async function drill(event: DrillEvent) {
  const c = clients();
  const reportBucket = process.env[DRILL_REPORT_BUCKET_ENV];
  if (!reportBucket)
    throw new Error(`${DRILL_REPORT_BUCKET_ENV} is not set: this function must be deployed by the drill stack`);
  return runDrillStep(event, {
    deployment: c.deployment,
    cloudwatch: c.cloudwatch,
    s3: c.s3,
    ssm: c.ssm,
    route53: c.route53,
    nameProbe: httpsNameProbe(),
    reportBucket,
    now: () => new Date(),
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  });
}

let watchClients: { ssm: ReturnType<typeof ssmClient>; sns: ReturnType<typeof snsClient> } | undefined;

/**
 * The live-release watch (lib/recovery/live-release-watch.ts): one S3 object event under
 * `releases/` of this region's site bucket, from EventBridge. Pages the region's high-urgency topic
 * when the key is under the live release, or when the live release cannot be read. The event is
 * logged first, so a failed invocation (which the errors alarm pages) leaves the key in the log.
 */
export async function liveReleaseChanged(event: unknown): Promise<WatchResult> {
  console.log(JSON.stringify({ liveReleaseWatch: event }));
  const env = process.env;
  const topicArn = env[LIVE_RELEASE_WATCH_ENV.topicArn];
  const runbook = env[LIVE_RELEASE_WATCH_ENV.runbook];
  if (!topicArn || !runbook) {
    throw new Error(
      `${LIVE_RELEASE_WATCH_ENV.topicArn} and ${LIVE_RELEASE_WATCH_ENV.runbook} must be set: this function must be deployed by the recovery stack`,
    );
  }
  const deployment = deploymentFromEnv(env);
  const region = env.AWS_REGION;
  const endpointUrl = env.DR_ENDPOINT_URL || undefined;
  watchClients ??= { ssm: ssmClient({ region, endpointUrl }), sns: snsClient({ region, endpointUrl }) };
  const result = await watchLiveRelease(event, {
    ...watchClients,
    parameter: deployment.parameters.liveRelease,
    topicArn,
    appName: deployment.appName,
    runbook,
  });
  console.log(JSON.stringify({ liveReleaseWatchResult: result }));
  return result;
}
