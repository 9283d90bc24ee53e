/** What drctl preflight checks; one id per concern, so a report can be filtered and tested. */
export type CheckId =
  'account' | 'region-enabled' | 'hosted-zone' | 'dns-name' | 'cdk-bootstrap' | 'alert-address' | 'alert-subscriptions';

/** The outcome of one check on one subject (a region, a name, a topic). */
export interface CheckResult {
  readonly check: CheckId;
  /** What was checked: a region, a DNS name, a topic ARN. */
  readonly subject: string;
  readonly status: 'pass' | 'fail';
  /** What was found. */
  readonly detail: string;
  /** On a failure: the command (or edit) that fixes it. */
  readonly fix?: string;
  /** On a pass: anything worth knowing that is not a failure. */
  readonly note?: string;
}

export const pass = (check: CheckId, subject: string, detail: string, note?: string): CheckResult => ({
  check,
  subject,
  status: 'pass',
  detail,
  ...(note ? { note } : {}),
});

export const fail = (check: CheckId, subject: string, detail: string, fix: string): CheckResult => ({
  check,
  subject,
  status: 'fail',
  detail,
  fix,
});

/** `Name: message` of an error from an AWS call, for a detail line. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** The error's name, e.g. `AccessDeniedException`, `ValidationError`. */
export function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

/** The error is an answer from an AWS service (it has an HTTP status), not a network or credential failure. */
export function answeredByAws(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number';
}

/** A word quoted for a POSIX shell only when it needs it. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Options that every AWS CLI fix command carries: the region, and the profile if one was named. */
export function awsCliEnv(region: string, profile: string | undefined): string {
  return `--region ${region}${profile ? ` --profile ${shellQuote(profile)}` : ''}`;
}
