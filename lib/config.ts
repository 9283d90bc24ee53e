import * as fs from 'node:fs';
import { z } from 'zod';
import { InputError } from '../lambda/contract/errors';
import { TYPE_NAMES, valueAt } from '../lambda/contract/issues';

/**
 * Commercial AWS regions where every service this app uses (API Gateway regional
 * custom domains, S3 Replication Time Control, AWS Backup for S3) is offered.
 *
 * This module's tables and patterns are built inside functions, on each parse, rather than at load:
 * code that runs while a module loads runs outside every test, so Stryker calls its mutants
 * "static" and runs each against every test that imports this module (43 test files) instead of
 * the few that parse a config (README, "Mutation testing").
 */
export function knownRegions() {
  return [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-south-1',
    'ap-south-2',
    'ap-east-1',
    'sa-east-1',
    'me-south-1',
    'me-central-1',
    'af-south-1',
    'il-central-1',
  ] as const;
}

/** Longest RTO or RPO we accept: one day (24 x 60 minutes). Anything longer is not a DR objective. */
export const MAX_OBJECTIVE_MINUTES = 1440;

/** AWS Backup keeps continuous (point-in-time) backups for at most 35 days. */
export const CONTINUOUS_BACKUP_DAYS = 35;

/** A lowercase DNS name: dot-separated labels, a letters-only top-level label, no trailing dot. */
function domainPattern(): RegExp {
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  return new RegExp(`^(?:${label}\\.)+[a-z]{2,63}$`);
}

/** The protocols a paging subscription may use: the ones an on-call person or a paging tool reads. */
export function pagingProtocols() {
  return ['email', 'sms', 'https'] as const;
}
export type PagingProtocol = ReturnType<typeof pagingProtocols>[number];

/** What each protocol's endpoint must look like, as the "expected" half of an error. */
function endpointExpected(protocol: PagingProtocol): string {
  const expected: Record<PagingProtocol, string> = {
    email: 'an e-mail address such as "oncall@example.com"',
    sms: 'a phone number in E.164 format such as "+14155550100" (a "+", the country code, no spaces)',
    https:
      'an https:// URL such as a PagerDuty integration URL "https://events.pagerduty.com/integration/<integration key>/enqueue"',
  };
  return expected[protocol];
}

function endpointMatches(protocol: PagingProtocol, endpoint: string, emailRe: RegExp): boolean {
  if (protocol === 'email') return emailRe.test(endpoint);
  // An SMS destination in E.164: "+", a country code, then the subscriber number, 15 digits at most
  // and no spaces or punctuation, which is the format SNS documents for SMS endpoints
  // (https://docs.aws.amazon.com/sns/latest/dg/sms_sending-overview.html).
  if (protocol === 'sms') return /^\+[1-9]\d{1,14}$/.test(endpoint);
  return httpsUrl(endpoint);
}

/**
 * An absolute https:// URL (URL.canParse would also accept http: and data:), without whitespace
 * (which the URL parser would percent-encode). It has a host: the URL parser refuses an https URL
 * without one.
 */
function httpsUrl(value: string): boolean {
  return URL.canParse(value) && new URL(value).protocol === 'https:' && !/\s/.test(value);
}

/** One SNS subscription of a paging topic. */
export interface PagingSubscription {
  readonly protocol: PagingProtocol;
  readonly endpoint: string;
}

/**
 * The config schema, built on each parse rather than once at load (parsing a config is rare): a
 * mutant of it then runs only the tests that parse a config, not every test that imports this
 * module. Test files that need the default config while loading read it unparsed
 * (test/support/config.ts, defaultConfigAsWritten) for the same reason.
 */
function configSchema() {
  const DOMAIN_RE = domainPattern();
  const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

  const domain = (what: string) =>
    z
      .string()
      .max(253, 'at most 253 characters')
      .regex(DOMAIN_RE, `a lowercase DNS name such as "${what}" (no trailing dot, no scheme)`);

  const regions = knownRegions();
  const region = z.enum(regions, { error: `one of the known AWS regions (${regions.join(', ')})` });

  const minutes = z
    .number()
    .int() // a fraction is an invalid_type issue, reported as "expected a whole number"
    .positive('a positive number of minutes')
    .max(MAX_OBJECTIVE_MINUTES, `at most ${MAX_OBJECTIVE_MINUTES} minutes (one day)`);

  const subscription = z
    .strictObject({
      protocol: z.enum(pagingProtocols(), {
        error: `one of ${pagingProtocols()
          .map((p) => `"${p}"`)
          .join(', ')}`,
      }),
      endpoint: z.string().min(1, 'a non-empty endpoint'),
    })
    .superRefine((sub, ctx) => {
      if (!endpointMatches(sub.protocol, sub.endpoint, EMAIL_RE)) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: describeIssue words every issue but unknown keys and wrong types alike, whatever its code
          code: 'custom',
          path: ['endpoint'],
          message: endpointExpected(sub.protocol),
        });
      }
    });

  const subscriptions = z
    .array(subscription)
    .superRefine((subs, ctx) => {
      // SNS answers a second Subscribe of the same endpoint with the first subscription, so removing
      // either copy later would unsubscribe both.
      const seen = new Set<string>();
      subs.forEach((sub, i) => {
        // Stryker disable next-line MethodExpression: upper case compares the endpoints case-insensitively too
        const key = `${sub.protocol} ${sub.endpoint.toLowerCase()}`;
        if (seen.has(key)) {
          ctx.addIssue({
            // Stryker disable next-line StringLiteral: describeIssue words every issue but unknown keys and wrong types alike, whatever its code
            code: 'custom',
            path: [i],
            message: `no duplicate: ${sub.protocol} ${sub.endpoint} is listed twice`,
          });
        }
        seen.add(key);
      });
    })
    .min(1, 'at least one subscription (or leave the urgency out)')
    .max(20, 'at most 20 subscriptions');

  /** IAM role names: 1-64 of letters, digits and `+=,.@_-` (IAM's own rule). */
  const IAM_ROLE_NAME_RE = /^[\w+=,.@-]{1,64}$/;

  return z.strictObject({
    appName: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, '3 to 20 lowercase letters, digits or hyphens, starting with a letter'),
    domainName: domain('www.example.com'),
    hostedZone: z.strictObject({
      id: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id such as "Z0123456789ABC"'),
      name: domain('example.com'),
    }),
    account: z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id, as a string'),
    regions: z.strictObject({ primary: region, standby: region }),
    objectives: z.strictObject({ rtoMinutes: minutes, rpoMinutes: minutes }),
    alertEmail: z.string().regex(EMAIL_RE, 'an e-mail address such as "oncall@example.com"'),
    /**
     * Who is paged at each urgency (docs/adr/0009-paging-by-urgency.md), and where the runbooks are
     * published. Optional: an urgency left out pages `alertEmail` by e-mail, so older configs keep
     * working unchanged.
     */
    paging: z
      .strictObject({
        /** SEV1/SEV2: the site is down or about to lose data. */
        high: subscriptions.optional(),
        /** SEV3: a warning, handled in working hours. */
        low: subscriptions.optional(),
        /**
         * Where docs/ is published, e.g. "https://github.com/acme/portfolio-dr/blob/main/": alarm
         * descriptions then carry a full link to their runbook instead of the repository path.
         */
        docsBaseUrl: z
          .string()
          .refine(httpsUrl, 'an https:// URL under which docs/runbooks/<name>.md is published')
          .optional(),
      })
      .optional(),
    healthCheck: z.strictObject({
      intervalSeconds: z.union([z.literal(10), z.literal(30)], {
        error: '10 or 30 (the only intervals Route 53 offers)',
      }),
      failureThreshold: z.number().int().min(1, 'between 1 and 10').max(10, 'between 1 and 10'),
      searchString: z
        .string()
        .min(1, 'a non-empty string')
        .max(255, 'at most 255 characters')
        .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
    }),
    content: z.strictObject({
      versionRetentionDays: z
        .number()
        .int()
        .min(CONTINUOUS_BACKUP_DAYS, `at least ${CONTINUOUS_BACKUP_DAYS} days (the point-in-time restore window)`)
        .max(3650, 'at most 3650 days'),
    }),
    /**
     * What protects the last copies from the account's own admins (docs/adr/0007-immutable-recovery.md).
     * Optional: older configs without it get the defaults.
     */
    protection: z
      .strictObject({
        /**
         * The one role (besides CloudFormation's execution role) that the site buckets let delete
         * versions or change lifecycle, versioning, replication or the bucket policy. The account
         * creates it; this app only names it. Default `<appName>-break-glass`.
         */
        breakGlassRoleName: z
          .string()
          .regex(IAM_ROLE_NAME_RE, 'an IAM role name: 1-64 letters, digits or +=,.@_- characters')
          .optional(),
        /** Also copy every recovery point into a logically air-gapped vault in each region. */
        airGappedCopy: z.boolean().optional(),
      })
      .optional(),
  });
}

/**
 * Checks that relate two fields. They run on the raw input, whatever else is wrong with it,
 * so that one error message lists every problem at once.
 */
function crossFieldProblems(input: unknown): string[] {
  const problems: string[] = [];
  const primary = valueAt(input, ['regions', 'primary']);
  const standby = valueAt(input, ['regions', 'standby']);
  if (typeof primary === 'string' && primary === standby) {
    problems.push(
      `regions.standby: got ${show(standby)}, expected a region other than regions.primary (${show(primary)}): DR needs two regions`,
    );
  }
  const domainName = valueAt(input, ['domainName']);
  const zone = valueAt(input, ['hostedZone', 'name']);
  const domainRe = domainPattern();
  const wellFormed = (v: unknown): v is string => typeof v === 'string' && domainRe.test(v);
  // A malformed name is reported once, by its own check.
  if (wellFormed(domainName) && wellFormed(zone) && domainName !== zone && !domainName.endsWith(`.${zone}`)) {
    problems.push(`domainName: got ${show(domainName)}, expected a name inside hostedZone.name (${show(zone)})`);
  }
  return problems;
}

/** The validated configuration of one deployment of the DR stacks. */
export type DrConfig = z.infer<ReturnType<typeof configSchema>>;

/** A config that cannot be used. The message lists every problem; it carries no stack trace for users. */
export class ConfigError extends InputError {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    const at = issue.path.length > 0 ? `${issue.path.join('.')}.` : '';
    return issue.keys.map(
      (k) =>
        `${at}${k}: unknown key (value ${show(valueAt(input, [...issue.path, k]))}); remove it or fix its spelling`,
    );
  }
  const field = issue.path.join('.') || '(root)';
  const value = valueAt(input, issue.path);
  if (issue.code === 'invalid_type') {
    const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
    return [
      value === undefined
        ? `${field}: missing, expected ${expected}`
        : `${field}: got ${show(value)}, expected ${expected}`,
    ];
  }
  return [`${field}: got ${show(value)}, expected ${issue.message}`];
}

/**
 * Who an urgency pages: the configured subscriptions, or `alertEmail` by e-mail when the config
 * lists none for it.
 */
export function pagingSubscriptions(config: DrConfig, urgency: 'high' | 'low'): readonly PagingSubscription[] {
  return config.paging?.[urgency] ?? [{ protocol: 'email', endpoint: config.alertEmail }];
}

/** Validate a parsed config object. Throws one ConfigError that lists every bad field. */
export function parseConfig(input: unknown, source = 'config'): DrConfig {
  const result = configSchema().safeParse(input);
  const problems = [
    ...(result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(input, issue))),
    ...crossFieldProblems(input),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(source, problems);
  return result.data;
}

/** Read and validate a JSON config file. */
export function loadConfig(path: string): DrConfig {
  let text: string;
  try {
    // Stryker disable next-line StringLiteral: without an encoding readFileSync returns a Buffer, which JSON.parse reads as UTF-8 text too
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseConfig(input, path);
}

/** The default config shipped with the repo: placeholder account and example.com zone. */
export const DEFAULT_CONFIG_PATH = 'config/default.json';
