import { type CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  GetHealthCheckStatusCommand,
  type HealthCheck,
  paginateListHealthChecks,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { assuranceNamespace, DRILL_METRICS } from '../../contract/assurance';
import type { Deployment } from '../../contract/deployment';
import type { DrillStepName } from '../../contract/drill';
import type { RegionRole } from '../../contract/regions';
import { siteBucket } from '../site-buckets';
import { Timeline } from '../timeline';
import { failbackBlockers } from '../traffic/readiness';
import type { Fetch } from '../traffic/probe';
import { flipTrafficSwitch, type SwitchResult } from '../traffic/switch';
import type { NameProbe } from './name-probe';
export type { DrillStepName };
import { buildReport, type DrillReport, renderMarkdown } from './report';
import { acceptReadiness, READINESS_REFUSED } from './readiness-gate';
import { type DrillState, DrillStepError, MARKER_KEY, parseDrillInput, REPORT_PREFIX, causeMessage } from './state';

/**
 * The steps of a game-day drill, one function each, in the order the drill state machine runs
 * them (lib/drill/drill-stack.ts). Each takes the drill's state and returns it with its part
 * added; a step that cannot reach its goal throws DrillStepError, and the machine then runs
 * `abort` (fail back if the failover was attempted, report, page). Polls are one check per
 * invocation: the machine's Wait states space them, so no Lambda sleeps through a poll loop.
 */

export interface DrillDeps {
  readonly deployment: Deployment;
  /** CloudWatch in each region: the switch and the drill metrics live in the standby region. */
  readonly cloudwatch: Record<RegionRole, CloudWatchClient>;
  readonly s3: Record<RegionRole, S3Client>;
  readonly ssm: Record<RegionRole, SSMClient>;
  /** Route 53's control plane (us-east-1): health-check status. */
  readonly route53: Route53Client;
  /** Resolves and fetches the site's name (httpsNameProbe in production). */
  readonly nameProbe: NameProbe;
  /** Fetch for failback's readiness probe of the primary's regional name. */
  readonly fetch?: Fetch;
  /** The bucket (in the standby region, the drill's region) that receives the reports. */
  readonly reportBucket: string;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** How long failover and failback wait for the switch alarm to confirm (default 300 s). */
  readonly switchWaitSeconds?: number;
  /** How often they read the alarm meanwhile (default 10 s). */
  readonly switchPollSeconds?: number;
}

const DEFAULT_POLL_SECONDS = 15;

function seconds(from: string, to: Date): number {
  return Math.round((to.getTime() - Date.parse(from)) / 1000);
}

/** A timeline that continues the state's, each event tagged with the step that recorded it. */
function timelineOf(state: DrillState, step: DrillStepName, deps: DrillDeps) {
  const t = new Timeline(deps.now);
  t.events.push(...state.timeline);
  return {
    events: t.events,
    record: (event: string, detail: Record<string, unknown> = {}) => t.record(event, { step, ...detail }),
  };
}

/** Validate the input, stamp the drill id and the targets. Makes no AWS call. */
export function start(input: unknown, deps: Pick<DrillDeps, 'deployment' | 'now'>): DrillState {
  const parsed = parseDrillInput(input);
  const at = deps.now();
  const drillId = `drill-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')}`;
  const targets = { rtoSeconds: deps.deployment.rtoMinutes * 60, rpoSeconds: deps.deployment.rpoMinutes * 60 };
  return {
    budgets: parsed.budgets,
    pollSeconds: parsed.pollSeconds ?? DEFAULT_POLL_SECONDS,
    drillId,
    startedAt: at.toISOString(),
    targets,
    timeline: [
      {
        at: at.toISOString(),
        event: 'drill started',
        detail: { step: 'start', drillId, targets, budgets: parsed.budgets },
      },
    ],
  };
}

function switchDeps(deps: DrillDeps) {
  return {
    cloudwatch: deps.cloudwatch.standby,
    deployment: deps.deployment,
    now: deps.now,
    sleep: deps.sleep,
    pollSeconds: deps.switchPollSeconds ?? 10,
  };
}

/** The switch metric write of a switch result: when the RTO clock starts. */
function writtenAt(result: SwitchResult): string | undefined {
  const detail = result.timeline.find((e) => e.event === 'switch metric written')?.detail;
  return typeof detail?.timestamp === 'string' ? detail.timestamp : undefined;
}

/**
 * Force traffic to the standby through the traffic switch (switch.ts, the failover playbook), once
 * the readiness reply is accepted (readiness-gate.ts: it parses, is recent, about this standby,
 * and every check passed; otherwise `ReadinessRefused` and no write). A switch already in the
 * failover position refuses the drill (`DrillRefused`): traffic is on the standby for a reason the
 * drill does not know, and its abort must not fail that back.
 */
export async function failover(state: DrillState, deps: DrillDeps): Promise<DrillState> {
  const t = timelineOf(state, 'failover', deps);
  const readiness = acceptReadiness(state.readiness, { deployment: deps.deployment, now: deps.now() });
  t.record('readiness passed', {
    checkedAt: readiness.checkedAt,
    checks: readiness.checks.map((c) => c.check).join(', '),
  });
  const result = await flipTrafficSwitch(
    { direction: 'failover', apply: true, waitSeconds: deps.switchWaitSeconds ?? 300 },
    switchDeps(deps),
  );
  if (result.status === 'already') {
    const err = new DrillStepError(
      `the traffic switch ${result.alarm} is already in the failover position: traffic is on the standby for another reason; the drill fails nothing back (fail back with drctl failback first, then run the drill again)`,
    );
    err.name = 'DrillRefused';
    throw err;
  }
  const at = writtenAt(result);
  if (result.status !== 'done' || at === undefined) {
    throw new DrillStepError(`failover did not complete (${result.status}): ${result.message}`);
  }
  t.record('failover confirmed by the switch alarm', {
    alarm: result.alarm,
    writtenAt: at,
    secondsToConfirm: result.secondsToConfirm,
  });
  return {
    ...state,
    readiness,
    timeline: t.events,
    failover: { writtenAt: at, confirmedAt: deps.now().toISOString() },
  };
}

async function liveRelease(deps: DrillDeps, role: RegionRole): Promise<string> {
  const name = deps.deployment.parameters.liveRelease;
  const out = await deps.ssm[role].send(new GetParameterCommand({ Name: name }));
  if (!out.Parameter?.Value) throw new Error(`SSM parameter ${name} is empty in ${deps.deployment.regions[role]}`);
  return out.Parameter.Value;
}

/**
 * Route 53's view of one region's HTTPS health check: healthy when more than half of the checkers
 * that report see it healthy (a health check is healthy when over 18% of checkers do; a majority
 * is the stricter, steadier reading). Read from the control plane, paginated.
 */
export async function route53Healthy(
  route53: Route53Client,
  host: string,
): Promise<{ healthy: boolean; summary: string }> {
  const all: HealthCheck[] = [];
  for await (const page of paginateListHealthChecks({ client: route53 }, {})) all.push(...(page.HealthChecks ?? []));
  const check = all.find((hc) => hc.HealthCheckConfig?.FullyQualifiedDomainName === host);
  if (!check?.Id) return { healthy: false, summary: `no Route 53 health check targets ${host}` };
  const status = await route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: check.Id }));
  const observations = status.HealthCheckObservations ?? [];
  const ok = observations.filter((o) => o.StatusReport?.Status?.startsWith('Success')).length;
  return {
    healthy: observations.length > 0 && ok * 2 > observations.length,
    summary: `Route 53 health check ${check.Id} (${host}): ${ok} of ${observations.length} checkers healthy`,
  };
}

/** What one look at the site's name found: nothing wrong when `problems` is empty. */
interface ServingObservation {
  readonly problems: string[];
  readonly detail: Record<string, unknown>;
}

/**
 * One visitor's view of the site's name, judged for `role`: it answers /healthz with the search
 * string, from `role`'s region (header X-Served-Region), serving `role`'s live release (header
 * X-Release against the live-release parameter in that region), and Route 53 sees `role`'s
 * regional health check healthy. Failover and failback are validated by this same function.
 */
async function observeServing(deps: DrillDeps, role: RegionRole): Promise<ServingObservation> {
  const d = deps.deployment;
  const region = d.regions[role];
  const url = `https://${d.domainName}${d.healthCheck.path}`;
  const problems: string[] = [];
  let release: string | undefined;
  try {
    release = await liveRelease(deps, role);
  } catch (err) {
    problems.push(`live release unknown: ${(err as Error).message}`);
  }
  const answer = await deps.nameProbe(url);
  const served = answer.headers['x-served-region'];
  const answered = answer.headers['x-release'];
  if (answer.status === undefined) problems.push(`${url} did not answer: ${answer.error ?? 'no response'}`);
  else if (answer.status !== 200) problems.push(`${url} answered HTTP ${answer.status}`);
  else if (!answer.body.includes(d.healthCheck.searchString))
    problems.push(`${url} body lacks "${d.healthCheck.searchString}"`);
  if (answer.status !== undefined && served !== region) {
    problems.push(
      `served by ${served ?? 'an unnamed region'} (${answer.address ?? 'address unknown'}), not the ${role} ${region}`,
    );
  }
  if (release !== undefined && answer.status !== undefined && answered !== release) {
    problems.push(`serves release ${answered ?? 'none'}, not the live release ${release}`);
  }
  let route53 = 'Route 53 not read';
  try {
    const r = await route53Healthy(deps.route53, d.regionalHosts[role]);
    route53 = r.summary;
    if (!r.healthy) problems.push(r.summary);
  } catch (err) {
    const e = err as Error;
    route53 = `Route 53 did not answer: ${e.name}: ${e.message}`;
    problems.push(route53);
  }
  return {
    problems,
    detail: { url, address: answer.address ?? null, servedRegion: served, release, route53 },
  };
}

/**
 * One poll of the site's name: done when it answers from the standby and serves the live release,
 * and Route 53 sees the standby's health check healthy. The RTO is measured from the failover's
 * switch write to the first poll that sees both; past the RTO target it throws.
 */
export async function pollStandby(state: DrillState, deps: DrillDeps): Promise<DrillState> {
  if (!state.failover) throw new Error('pollStandby: the state has no failover: run failover first');
  const t = timelineOf(state, 'pollStandby', deps);
  const attempts = (state.recovery?.attempts ?? 0) + 1;
  const seen = await observeServing(deps, 'standby');
  const now = deps.now();
  const elapsed = seconds(state.failover.writtenAt, now);
  if (seen.problems.length === 0) {
    t.record('the site name serves the live release from the standby', {
      ...seen.detail,
      rtoSeconds: elapsed,
      attempts,
    });
    return {
      ...state,
      timeline: t.events,
      recovery: { done: true, attempts, servedAt: now.toISOString(), rtoSeconds: elapsed },
    };
  }
  const last = seen.problems.join('; ');
  if (elapsed >= state.targets.rtoSeconds) {
    throw new DrillStepError(
      `the site's name did not serve the live release from the standby within the RTO target (${state.targets.rtoSeconds} s after the failover write, ${attempts} polls); last poll: ${last}`,
    );
  }
  return { ...state, recovery: { done: false, attempts, last } };
}

/**
 * One poll after a failback (the drill's, or its abort's): done when the site's name answers from
 * the primary, serves the primary's live release, and Route 53 sees the primary's health check
 * healthy: the validations of pollStandby, mirrored. The time to fail back runs from the
 * failback's switch write to that poll, with the same deadline as the failover (the RTO target):
 * past it the step throws, and the machine reports the failback as unvalidated (traffic may still
 * be on the standby) and ends in FailbackFailed.
 */
export async function pollPrimary(state: DrillState, deps: DrillDeps): Promise<DrillState> {
  const since = state.failback?.startedAt;
  if (since === undefined) throw new Error('pollPrimary: the state has no failback write: run failback first');
  const t = timelineOf(state, 'pollPrimary', deps);
  const attempts = (state.primary?.attempts ?? 0) + 1;
  const seen = await observeServing(deps, 'primary');
  const now = deps.now();
  const elapsed = seconds(since, now);
  if (seen.problems.length === 0) {
    t.record('the site name serves the live release from the primary again', {
      ...seen.detail,
      failbackSeconds: elapsed,
      attempts,
    });
    return {
      ...state,
      timeline: t.events,
      primary: { done: true, attempts, servedAt: now.toISOString(), seconds: elapsed },
    };
  }
  const last = seen.problems.join('; ');
  if (elapsed >= state.targets.rtoSeconds) {
    throw new DrillStepError(
      `the site's name did not serve the live release from the primary within the RTO target (${state.targets.rtoSeconds} s after the failback write, ${attempts} polls): the site may still be served from the standby; last poll: ${last}`,
    );
  }
  return { ...state, primary: { done: false, attempts, last } };
}

/** Write the marker in the primary site bucket: the RPO clock starts here. */
export async function writeMarker(state: DrillState, deps: DrillDeps): Promise<DrillState> {
  const t = timelineOf(state, 'writeMarker', deps);
  const bucket = await siteBucket(deps.deployment, deps, 'primary');
  const at = deps.now().toISOString();
  const out = await deps.s3.primary.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: MARKER_KEY,
      Body: `${JSON.stringify({ drillId: state.drillId, writtenAt: at })}\n`,
      ContentType: 'application/json',
    }),
  );
  // A bucket whose versioning is suspended answers the version id "null" and overwrites the null
  // version in place (https://docs.aws.amazon.com/AmazonS3/latest/userguide/AddingObjectstoVersionSuspendedBuckets.html):
  // no version to follow into the standby, and replication needs versioning on.
  if (!out.VersionId || out.VersionId === 'null') {
    throw new DrillStepError(
      `the primary site bucket ${bucket} returned ${out.VersionId ? 'the version id "null"' : 'no version id'} for ${MARKER_KEY}: versioning is not enabled, so replication cannot carry the marker`,
    );
  }
  t.record('marker written in the primary', { bucket, key: MARKER_KEY, versionId: out.VersionId });
  return { ...state, timeline: t.events, marker: { key: MARKER_KEY, versionId: out.VersionId, writtenAt: at } };
}

/**
 * One look for the marker's version in the standby site bucket (replication keeps version ids).
 * The achieved RPO is the time from the write to the first look that finds it: an upper bound,
 * at most one poll interval above the true replication time. Past the RPO target it throws.
 */
export async function pollMarker(state: DrillState, deps: DrillDeps): Promise<DrillState> {
  if (!state.marker) throw new Error('pollMarker: the state has no marker: run writeMarker first');
  const t = timelineOf(state, 'pollMarker', deps);
  const attempts = (state.replication?.attempts ?? 0) + 1;
  let last: string;
  try {
    const bucket = await siteBucket(deps.deployment, deps, 'standby');
    await deps.s3.standby.send(
      new HeadObjectCommand({ Bucket: bucket, Key: state.marker.key, VersionId: state.marker.versionId }),
    );
    const now = deps.now();
    const rpoSeconds = seconds(state.marker.writtenAt, now);
    t.record('marker arrived in the standby', { bucket, versionId: state.marker.versionId, rpoSeconds, attempts });
    return {
      ...state,
      timeline: t.events,
      replication: { done: true, attempts, arrivedAt: now.toISOString(), rpoSeconds },
    };
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    last =
      e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404
        ? `version ${state.marker.versionId} of ${state.marker.key} not in the standby yet`
        : `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
  }
  const elapsed = seconds(state.marker.writtenAt, deps.now());
  if (elapsed >= state.targets.rpoSeconds) {
    throw new DrillStepError(
      `the marker did not arrive in the standby within the RPO target (${state.targets.rpoSeconds} s after its write, ${attempts} polls); last poll: ${last}`,
    );
  }
  return { ...state, replication: { done: false, attempts, last } };
}

async function runFailback(deps: DrillDeps): Promise<SwitchResult> {
  return flipTrafficSwitch(
    { direction: 'failback', apply: true, waitSeconds: deps.switchWaitSeconds ?? 300 },
    {
      ...switchDeps(deps),
      failbackBlockers: () => failbackBlockers(deps.deployment, { ssm: deps.ssm, s3: deps.s3, fetch: deps.fetch }),
    },
  );
}

/** A failback's record in the state: the time to fail back runs from its switch write. */
function failbackOf(result: SwitchResult, deps: DrillDeps): NonNullable<DrillState['failback']> {
  return { status: result.status, message: result.message, startedAt: writtenAt(result) ?? deps.now().toISOString() };
}

/**
 * Fail back with the failback playbook's validations (primary healthy, content in sync). The
 * switch alarm's confirmation is not the end: pollPrimary then validates what visitors get.
 */
export async function failback(state: DrillState, deps: DrillDeps): Promise<DrillState> {
  const t = timelineOf(state, 'failback', deps);
  const result = await runFailback(deps);
  if (result.status !== 'done' && result.status !== 'already') {
    throw new DrillStepError(`failback ${result.status}: ${result.message}`);
  }
  const record = failbackOf(result, deps);
  t.record('failback confirmed by the switch alarm', {
    alarm: result.alarm,
    status: result.status,
    writtenAt: record.startedAt,
    secondsToConfirm: result.secondsToConfirm,
  });
  return { ...state, timeline: t.events, failback: record };
}

/** Where a drill's reports are written. */
export function reportKeys(drillId: string): { json: string; markdown: string } {
  return { json: `${REPORT_PREFIX}${drillId}/report.json`, markdown: `${REPORT_PREFIX}${drillId}/report.md` };
}

async function publish(report: DrillReport, deps: DrillDeps): Promise<DrillReport> {
  const keys = reportKeys(report.drillId);
  const located: DrillReport = { ...report, location: { bucket: deps.reportBucket, ...keys } };
  await deps.s3.standby.send(
    new PutObjectCommand({
      Bucket: deps.reportBucket,
      Key: keys.json,
      Body: `${JSON.stringify(located, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
  await deps.s3.standby.send(
    new PutObjectCommand({
      Bucket: deps.reportBucket,
      Key: keys.markdown,
      Body: renderMarkdown(located),
      ContentType: 'text/markdown; charset=utf-8',
    }),
  );
  const timestamp = new Date(report.endedAt);
  const data: MetricDatum[] = [
    { MetricName: DRILL_METRICS.passed, Value: report.passed ? 1 : 0, Unit: 'Count', Timestamp: timestamp },
  ];
  if (report.rto.measuredSeconds !== null) {
    data.push({
      MetricName: DRILL_METRICS.measuredRtoSeconds,
      Value: report.rto.measuredSeconds,
      Unit: 'Seconds',
      Timestamp: timestamp,
    });
  }
  if (report.rpo.measuredSeconds !== null) {
    data.push({
      MetricName: DRILL_METRICS.achievedRpoSeconds,
      Value: report.rpo.measuredSeconds,
      Unit: 'Seconds',
      Timestamp: timestamp,
    });
  }
  await deps.cloudwatch.standby.send(
    new PutMetricDataCommand({ Namespace: assuranceNamespace(deps.deployment.appName), MetricData: data }),
  );
  return located;
}

/**
 * The drill's end, by every path: report it (bucket, metrics) and return the report. A failback
 * that did not validate (PollPrimary's Catch put `failbackError` in the state) is reported as
 * `unvalidated`: the site may still be served from the standby, and the machine ends in
 * FailbackFailed, which pages.
 */
export async function finish(state: DrillState, deps: DrillDeps): Promise<DrillReport> {
  const t = timelineOf(state, 'finish', deps);
  let failback = state.failback;
  if (state.failbackError) {
    const cause = causeMessage(state.failbackError);
    failback = { ...failback, status: 'unvalidated', message: cause };
    t.record('failback did not validate: the site may still be served from the standby', {
      error: state.failbackError.Error,
      cause,
    });
  }
  t.record('drill ended');
  return publish(buildReport({ ...state, timeline: t.events, failback }, deps.deployment, deps.now()), deps);
}

/**
 * A step before the failback validation failed (the machine's Catch put `failure` in the state).
 * Fail back when the failover may have written the switch, with failback's validations, and
 * record the failure and the failback. Nothing to fail back when readiness never answered, its
 * reply was refused, or the switch was already in the failover position (`DrillRefused`). Never
 * throws for a refused failback: the machine validates a failback that went through (PollPrimary),
 * then `finish` reports either way and the machine's Fail state names it.
 */
export async function abort(state: DrillState, deps: DrillDeps): Promise<DrillState> {
  const t = timelineOf(state, 'abort', deps);
  const error = state.failure?.Error ?? 'unknown';
  let failback: DrillState['failback'];
  if (state.readiness === undefined) {
    t.record('readiness did not answer: the drill did not start', { error, cause: causeMessage(state.failure) });
    failback = { status: 'not-needed', message: 'no failover was attempted' };
  } else if (error === READINESS_REFUSED) {
    t.record('readiness refused: the drill did not start', { cause: causeMessage(state.failure) });
    failback = { status: 'not-needed', message: 'no failover was attempted' };
  } else if (error === 'DrillRefused') {
    t.record('drill refused', { cause: causeMessage(state.failure) });
    failback = { status: 'not-needed', message: 'the drill did not move traffic; nothing to fail back' };
  } else {
    t.record('step failed', { error, cause: causeMessage(state.failure) });
    try {
      failback = failbackOf(await runFailback(deps), deps);
    } catch (err) {
      failback = { status: 'failed', message: `failback threw ${(err as Error).name}: ${(err as Error).message}` };
    }
    t.record(
      failback.status === 'done' || failback.status === 'already'
        ? 'failed back (to be validated)'
        : 'failback did not complete',
      { ...failback },
    );
  }
  return { ...state, timeline: t.events, failback };
}
