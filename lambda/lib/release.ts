import {
  type APIGatewayClient,
  GetBasePathMappingsCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { lookup } from 'mime-types';
import {
  GetParameterCommand,
  PutParameterCommand,
  paginateGetParameterHistory,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { Deployment } from '../contract/deployment';
import { InputError } from '../contract/errors';
import { type RegionRole as Role, REGION_ROLES as ROLES } from '../contract/regions';
import { HEALTH_FILE, healthBody, RELEASE_STAGE_VARIABLE, releasePrefix } from '../contract/site';
import { systemClock } from './clock';
import { Timeline, type TimelineEvent } from './timeline';
import { type Fetch, healthUrl, probe } from './traffic/probe';
import { siteBucket } from './site-buckets';

/**
 * Releases: immutable prefixes `releases/<id>/` in the site buckets. Publishing writes a new one
 * to the primary bucket (replication carries it to the standby); switching (rollback or roll
 * forward) points each region's API stage variable and SSM parameter at another one. A switch
 * takes effect in seconds and is validated by fetching each region's /healthz and home page.
 *
 * While the primary region is lost, both act on the standby alone (`only: 'standby'`): publishing
 * writes to the standby bucket, which replicates nowhere, so on the primary's return the new
 * releases are copied back with verify-replication from the standby to the primary before a switch
 * in both regions and the failback (docs/runbooks/regional-outage.md).
 */

export const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * A release request that cannot be carried out as asked; nothing was changed. Messages name the
 * request's fields (`to`, `release`, `includeDotfiles`), not a front door's spelling of them;
 * `field` says which one to fix, so drctl can name its flag instead.
 */
export class ReleaseInputError extends InputError {
  constructor(
    message: string,
    readonly field?: 'to' | 'release' | 'includeDotfiles' | 'only',
  ) {
    super(message);
  }
}

export interface ReleaseDeps {
  readonly deployment: Deployment;
  readonly ssm: Record<Role, SSMClient>;
  readonly s3: Record<Role, S3Client>;
  readonly apigw: Record<Role, APIGatewayClient>;
  readonly fetch?: Fetch;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long to wait for both regions to serve the new release. */
  readonly validateSeconds?: number;
}

export interface SwitchReleaseResult {
  readonly status: 'done' | 'already' | 'planned' | 'failed';
  readonly dryRun: boolean;
  readonly from: Record<Role, string>;
  readonly to: string;
  readonly validation: Record<Role, { ok: boolean; detail: string }>;
  readonly seconds: number;
  readonly message: string;
  readonly timeline: TimelineEvent[];
}

async function liveRelease(deps: ReleaseDeps, role: Role): Promise<string> {
  const out = await deps.ssm[role].send(new GetParameterCommand({ Name: deps.deployment.parameters.liveRelease }));
  // Stryker disable next-line OptionalChaining,StringLiteral: equivalent against SSM, whose GetParameter answer always has a Parameter with a Value (or throws ParameterNotFound)
  return out.Parameter?.Value ?? '';
}

/**
 * The release that was live before the current one, from the parameter's history in the primary
 * region. GetParameterHistory returns at most 50 versions a page (SSM keeps the last 100), so every
 * page is read; entries are ordered by their version number rather than by the order of the pages.
 * A value read back is re-validated as a release id: anyone who can write the parameter writes its
 * history, and the value is about to become a stage variable and an S3 prefix.
 */
async function previousRelease(deps: ReleaseDeps, current: string, role: Role): Promise<string | undefined> {
  const history: { version: number; value: string }[] = [];
  const pages = paginateGetParameterHistory(
    { client: deps.ssm[role] },
    { Name: deps.deployment.parameters.liveRelease },
  );
  for await (const page of pages) {
    // Stryker disable next-line ArrayDeclaration: equivalent, an entry without version or value is passed over below
    for (const p of page.Parameters ?? []) history.push({ version: p.Version ?? 0, value: p.Value ?? '' });
  }
  history.sort((a, b) => b.version - a.version);
  const previous = history.find((h) => h.value !== '' && h.value !== current);
  if (previous && !RELEASE_ID.test(previous.value)) {
    throw new ReleaseInputError(
      `parameter ${deps.deployment.parameters.liveRelease}, version ${previous.version}: got "${previous.value}", expected a release id (letters, digits, . _ -, at most 64); name the release to make live with "to"`,
      'to',
    );
  }
  return previous?.value;
}

async function releaseExists(
  deps: Pick<ReleaseDeps, 'deployment' | 'ssm' | 's3'>,
  role: Role,
  release: string,
): Promise<boolean> {
  const bucket = await siteBucket(deps.deployment, { ssm: deps.ssm, s3: deps.s3 }, role);
  const out = await deps.s3[role].send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `${releasePrefix(release)}${HEALTH_FILE}`, MaxKeys: 1 }),
  );
  return (out.KeyCount ?? 0) > 0;
}

/** The REST API and stage mapped to the region's own host name. */
async function stageOf(deps: ReleaseDeps, role: Role): Promise<{ restApiId: string; stageName: string }> {
  const out = await deps.apigw[role].send(
    new GetBasePathMappingsCommand({ domainName: deps.deployment.regionalHosts[role] }),
  );
  const mapping = out.items?.[0];
  if (!mapping?.restApiId || !mapping.stage) {
    throw new Error(`no API is mapped to ${deps.deployment.regionalHosts[role]} in ${deps.deployment.regions[role]}`);
  }
  return { restApiId: mapping.restApiId, stageName: mapping.stage };
}

/**
 * What a region serves (its stage variable) and what its next deploy will seed (the parameter).
 * They normally agree; a hand edit or a stack rollback can set them apart, and a switch must then
 * repair whichever differs rather than report "already".
 */
async function regionState(
  deps: ReleaseDeps,
  role: Role,
): Promise<{ restApiId: string; stageName: string; stage: string | undefined; parameter: string }> {
  const parameter = await liveRelease(deps, role);
  const { restApiId, stageName } = await stageOf(deps, role);
  const out = await deps.apigw[role].send(new GetStageCommand({ restApiId, stageName }));
  return { restApiId, stageName, stage: out.variables?.[RELEASE_STAGE_VARIABLE], parameter };
}

/** Both regions serve `release`: /healthz names it and the home page answers with it. */
async function validate(
  deps: ReleaseDeps,
  role: Role,
  release: string,
  now: () => Date,
): Promise<{ ok: boolean; detail: string }> {
  const host = deps.deployment.regionalHosts[role];
  const health = await probe(healthUrl(host, deps.deployment.healthCheck.path), {
    mustContain: healthBody(deps.deployment.healthCheck.searchString, release).trimEnd(),
    fetch: deps.fetch,
    now,
  });
  if (!health.ok) return { ok: false, detail: `${health.url}: ${health.error}` };
  const home = await probe(`https://${host}/`, { fetch: deps.fetch, now });
  if (!home.ok || home.release !== release) {
    return { ok: false, detail: `https://${host}/: ${home.error ?? `X-Release is ${home.release}`}` };
  }
  return { ok: true, detail: `healthz and home page serve ${release} (${health.millis + home.millis} ms)` };
}

/** `only`, when given, must name a region role: it decides which regions a request may touch. */
function onlyRoles(only: Role | undefined): readonly Role[] {
  if (only === undefined) return ROLES;
  if (!ROLES.includes(only)) {
    throw new ReleaseInputError(`only: got "${String(only)}", expected "primary" or "standby"`, 'only');
  }
  return [only];
}

/**
 * Make `to` (default: the previous live release) the live release in both regions, or in the
 * `only` region (the other one is not called at all: it may be down). Idempotent: regions already
 * on it are left alone. Validated by fetching each switched region until it serves it.
 */
export async function switchRelease(
  request: { to?: string; apply: boolean; only?: Role },
  deps: ReleaseDeps,
): Promise<SwitchReleaseResult> {
  const now = deps.now ?? systemClock.now;
  const sleep = deps.sleep ?? systemClock.sleep;
  const started = now();
  const timeline = new Timeline(now);
  // Stryker disable next-line ConditionalExpression: equivalent, RELEASE_ID.test(undefined) tests "undefined", a valid id
  if (request.to !== undefined && !RELEASE_ID.test(request.to)) {
    throw new ReleaseInputError(
      `to: got "${request.to}", expected a release id (letters, digits, . _ -, at most 64)`,
      'to',
    );
  }
  const roles = onlyRoles(request.only);
  const skipped = `not read: only the ${roles[0]} was asked for`;
  // (A role not asked for is never written to: its API id and stage name are never read.)
  // Stryker disable next-line StringLiteral: equivalent, see above
  const unread = { restApiId: '', stageName: '', stage: skipped, parameter: skipped };
  const state = {
    primary: roles.includes('primary') ? await regionState(deps, 'primary') : unread,
    standby: roles.includes('standby') ? await regionState(deps, 'standby') : unread,
  };
  // What visitors get is the stage variable; fall back to the parameter if the variable is missing.
  const from = {
    primary: state.primary.stage ?? state.primary.parameter,
    standby: state.standby.stage ?? state.standby.parameter,
  };
  const historyRole = roles[0];
  const to = request.to ?? (await previousRelease(deps, state[historyRole].parameter, historyRole));
  if (!to)
    throw new ReleaseInputError(
      `no release before "${state[historyRole].parameter}" is recorded; name one with "to"`,
      'to',
    );
  for (const role of roles) {
    if (!(await releaseExists(deps, role, to))) {
      throw new ReleaseInputError(
        `release "${to}" is not in the ${role} bucket (${deps.deployment.regions[role]}): publish it first, or wait for replication`,
      );
    }
  }
  timeline.record('release switch requested', { from, to, apply: request.apply, only: request.only });
  const pending = roles.filter((role) => state[role].stage !== to || state[role].parameter !== to);
  for (const role of roles) {
    if (state[role].stage !== state[role].parameter) {
      timeline.record('stage variable and parameter disagree', {
        role,
        stage: state[role].stage,
        parameter: state[role].parameter,
      });
    }
  }
  const result = (
    status: SwitchReleaseResult['status'],
    validation: SwitchReleaseResult['validation'],
    message: string,
  ) => ({
    status,
    dryRun: !request.apply,
    from,
    to,
    validation,
    seconds: (now().getTime() - started.getTime()) / 1000,
    message,
    timeline: timeline.events,
  });
  const notChecked = { ok: false, detail: 'not checked' };
  const [serve, alreadyServe] =
    roles.length === 2
      ? ['both regions serve', 'both regions already serve']
      : [`the ${roles[0]} serves`, `the ${roles[0]} already serves`];
  if (!request.apply) {
    return result(
      pending.length === 0 ? 'already' : 'planned',
      { primary: notChecked, standby: notChecked },
      pending.length === 0 ? `${alreadyServe} ${to}` : `would switch ${pending.join(' and ')} to ${to}`,
    );
  }

  for (const role of pending) {
    const { restApiId, stageName } = state[role];
    await deps.apigw[role].send(
      new UpdateStageCommand({
        restApiId,
        stageName,
        patchOperations: [{ op: 'replace', path: `/variables/${RELEASE_STAGE_VARIABLE}`, value: to }],
      }),
    );
    // The parameter is what the next infrastructure deploy reads: keep it in step.
    await deps.ssm[role].send(
      new PutParameterCommand({
        Name: deps.deployment.parameters.liveRelease,
        Value: to,
        Overwrite: true,
        Type: 'String',
      }),
    );
    timeline.record('region switched', { role, restApiId, stageName });
  }

  const deadline = now().getTime() + (deps.validateSeconds ?? 60) * 1000;
  const notSwitched = { ok: false, detail: skipped };
  const check = async (role: Role) => (roles.includes(role) ? validate(deps, role, to, now) : notSwitched);
  const allOk = (v: SwitchReleaseResult['validation']) => roles.every((role) => v[role].ok);
  const round = async () => ({ primary: await check('primary'), standby: await check('standby') });
  const retry = async () => {
    await sleep(2000);
    return round();
  };
  let validation = await round();
  while (!allOk(validation) && now().getTime() < deadline) validation = await retry();
  const ok = allOk(validation);
  timeline.record(ok ? 'release validated' : 'release not validated', { validation });
  return result(
    ok ? (pending.length === 0 ? 'already' : 'done') : 'failed',
    validation,
    ok ? `${serve} ${to}` : `switched, but not every region serves ${to} yet: see validation`,
  );
}

export interface ReleaseFile {
  readonly path: string;
  readonly body: Uint8Array;
  readonly contentType: string;
}

/**
 * The Content-Type a release file is published with, from its extension, by the mime-types table
 * (mime-db, the table Express and most Node servers use). Text types carry `charset=utf-8` so a
 * browser does not guess the encoding; other types carry none (JSON is UTF-8 by definition, RFC
 * 8259, and its media type has no charset parameter). Unknown extensions are
 * `application/octet-stream`.
 */
export function contentTypeFor(fileName: string): string {
  const type = lookup(fileName);
  if (!type) return 'application/octet-stream';
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}

/**
 * What of `path` (a release-relative path with `/` separators) is hidden, if anything: the first
 * segment that starts with "." and what leads to it, e.g. ".env" or "assets/.git/" (a directory
 * keeps its trailing slash). Build directories often hold secrets and tool state under such names
 * (.env, .git/, .aws/), and a release is public.
 */
export function hiddenPart(path: string): string | undefined {
  const segments = path.split('/');
  const i = segments.findIndex((s) => s.startsWith('.'));
  if (i < 0) return undefined;
  return segments.slice(0, i + 1).join('/') + (i < segments.length - 1 ? '/' : '');
}

export interface PublishRequest {
  readonly release: string;
  readonly files: ReleaseFile[];
  readonly apply: boolean;
  /**
   * Publish files and directories whose name starts with "." as well.
   * @default false - they are left out and listed in the result's `skipped`
   */
  readonly includeDotfiles?: boolean;
  /**
   * The region whose bucket receives the release. `standby` is for a primary region that is down:
   * the standby bucket replicates nowhere, so the release must be copied back to the primary
   * (verify-replication from the standby to the primary) before failing back.
   * @default 'primary' - replication carries the release to the standby
   */
  readonly only?: Role;
}

export interface PublishResult {
  readonly status: 'done' | 'planned';
  readonly release: string;
  readonly bucket: string;
  readonly keys: string[];
  /** Hidden files and directories left out (see `hiddenPart`), sorted; empty when none or when asked to include them. */
  readonly skipped: string[];
}

/**
 * Upload a new release to the primary bucket (or the `only` region's) as `releases/<id>/...`, with
 * the `healthz` file the health checks need. Releases are immutable: an existing id is refused. Does not switch.
 * Dotfiles and dot-directories are left out unless `includeDotfiles`, and reported.
 */
export async function publishRelease(
  request: PublishRequest,
  deps: Pick<ReleaseDeps, 'deployment' | 'ssm' | 's3'>,
): Promise<PublishResult> {
  if (!RELEASE_ID.test(request.release)) {
    throw new ReleaseInputError(
      `release: got "${request.release}", expected a release id (letters, digits, . _ -, at most 64)`,
      'release',
    );
  }
  const hidden = new Set<string>();
  const selected = request.files.filter((f) => {
    const part = request.includeDotfiles ? undefined : hiddenPart(f.path);
    if (part !== undefined) hidden.add(part);
    return part === undefined;
  });
  const skipped = [...hidden].sort();
  if (selected.length === 0) {
    throw skipped.length > 0
      ? new ReleaseInputError(
          `the release has no files but hidden ones (${skipped.join(', ')}); pass "includeDotfiles" to publish them`,
          'includeDotfiles',
        )
      : new ReleaseInputError('the release has no files');
  }
  if (selected.some((f) => f.path === HEALTH_FILE)) {
    throw new ReleaseInputError('the release must not contain "healthz": it is written by the publish itself');
  }
  const [target] = onlyRoles(request.only ?? 'primary');
  const bucket = await siteBucket(deps.deployment, { ssm: deps.ssm, s3: deps.s3 }, target);
  if (await releaseExists(deps, target, request.release)) {
    throw new ReleaseInputError(`release "${request.release}" already exists: releases are immutable, choose a new id`);
  }
  const health = healthBody(deps.deployment.healthCheck.searchString, request.release);
  const files = [...selected, { path: HEALTH_FILE, body: new TextEncoder().encode(health), contentType: 'text/plain' }];
  const keys = files.map((f) => `${releasePrefix(request.release)}${f.path}`);
  if (!request.apply) return { status: 'planned', release: request.release, bucket, keys, skipped };
  // healthz last: a release is only "there" (for releaseExists and the health checks) once complete.
  for (const f of files) {
    await deps.s3[target].send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${releasePrefix(request.release)}${f.path}`,
        Body: f.body,
        ContentType: f.contentType,
      }),
    );
  }
  return { status: 'done', release: request.release, bucket, keys, skipped };
}
