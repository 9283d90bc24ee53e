import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  type LifecycleRule,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { InputError } from '../../contract/errors';

/**
 * The checks a restore makes before it lists or writes anything: the instant is a date in the
 * past, the bucket keeps versions, and no lifecycle rule has expired the versions that were current
 * at the instant. Each failure is a `RestoreInputError` that ends with "Nothing was written".
 */

/** The request cannot be carried out as asked; nothing was written. */
export class RestoreInputError extends InputError {}

export interface PreflightRequest {
  readonly bucket: string;
  readonly prefix?: string;
  readonly instant: Date;
}

/** `bucket "b"` or `bucket "b" prefix "p"`, as error messages name the restored place. */
export function describeTarget(request: { bucket: string; prefix?: string }): string {
  return `bucket "${request.bucket}"${request.prefix ? ` prefix "${request.prefix}"` : ''}`;
}

/** The instant is a valid date and not after `now`. Pure. */
export function checkInstant(instant: Date, now: Date): void {
  if (Number.isNaN(instant.getTime())) throw new RestoreInputError('the instant is not a valid date');
  if (instant.getTime() > now.getTime()) {
    throw new RestoreInputError(
      `the instant ${instant.toISOString()} is in the future (now ${now.toISOString()}); nothing was written`,
    );
  }
}

/**
 * Every check before the first listing: the instant (pure), then GetBucketVersioning, then
 * GetBucketLifecycleConfiguration (each call counted in `calls`).
 */
export async function checkBeforeWrite(
  s3: S3Client,
  request: PreflightRequest,
  now: Date,
  calls: { add(operation: string): void },
): Promise<void> {
  checkInstant(request.instant, now);
  const where = describeTarget(request);
  calls.add('GetBucketVersioning');
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: request.bucket }));
  if (versioning.Status !== 'Enabled') {
    throw new RestoreInputError(
      `${where} is not versioned (versioning: ${versioning.Status ?? 'never enabled'}); a point-in-time restore needs version history. Nothing was written`,
    );
  }
  const horizon = await versionHorizon(s3, request.bucket, request.prefix ?? '', calls);
  if (horizon) {
    const cutoff = new Date(now.getTime() - horizon.days * 86_400_000);
    if (request.instant.getTime() < cutoff.getTime()) {
      throw new RestoreInputError(
        `the instant ${request.instant.toISOString()} is older than ${where} keeps replaced versions ` +
          `(${horizon.days} days, lifecycle rule "${horizon.ruleId}"): versions current then may have expired, so ` +
          `the state at that instant cannot be rebuilt. Choose an instant after ${cutoff.toISOString()}, or restore ` +
          `from AWS Backup. Nothing was written`,
      );
    }
  }
}

/**
 * How far back the bucket keeps replaced versions for keys under `prefix`: the shortest
 * NoncurrentVersionExpiration of the enabled lifecycle rules that can apply there. A version current
 * at instant T is replaced at some U >= T and expires at U + days, so every instant inside the last
 * `days` days can still be rebuilt; an older one may not. Undefined when nothing expires versions.
 */
export async function versionHorizon(
  s3: S3Client,
  bucket: string,
  prefix: string,
  calls: { add(operation: string): void },
): Promise<{ days: number; ruleId: string } | undefined> {
  calls.add('GetBucketLifecycleConfiguration');
  let rules: LifecycleRule[];
  try {
    rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })))?.Rules ?? [];
  } catch (err) {
    if (err instanceof S3ServiceException && err.name === 'NoSuchLifecycleConfiguration') return undefined;
    throw err;
  }
  return shortestHorizon(rules, prefix);
}

/** The shortest noncurrent-version expiration among `rules` that can touch keys under `prefix`. Pure. */
export function shortestHorizon(
  rules: readonly LifecycleRule[],
  prefix: string,
): { days: number; ruleId: string } | undefined {
  let horizon: { days: number; ruleId: string } | undefined;
  for (const rule of rules) {
    const days = rule.NoncurrentVersionExpiration?.NoncurrentDays;
    if (rule.Status !== 'Enabled' || days === undefined) continue;
    const rulePrefix = rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
    // The rule can touch keys under `prefix` when one prefix contains the other.
    if (!prefix.startsWith(rulePrefix) && !rulePrefix.startsWith(prefix)) continue;
    if (!horizon || days < horizon.days) horizon = { days, ruleId: rule.ID ?? '(unnamed)' };
  }
  return horizon;
}
