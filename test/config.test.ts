import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import {
  CONTINUOUS_BACKUP_DAYS,
  ConfigError,
  DEFAULT_CONFIG_PATH,
  knownRegions,
  loadConfig,
  MAX_OBJECTIVE_MINUTES,
  pagingSubscriptions,
  parseConfig,
} from '../lib/config';
import { defaultConfig, defaultConfigAsWritten, ROOT } from './support/config';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, got none');
}

const valid = () => JSON.parse(JSON.stringify(defaultConfig())) as Record<string, any>;

describe('config', () => {
  test('the embedded default config is valid', () => {
    const config = defaultConfig();
    expect(config.regions).toEqual({ primary: 'us-east-1', standby: 'us-west-2' });
    expect(config.hostedZone.name).toBe('example.com');
  });

  test('parsing the default config returns it unchanged (tests that load it unparsed see the same config)', () => {
    expect(parseConfig(defaultConfigAsWritten())).toEqual(defaultConfigAsWritten());
  });

  test.each<[string, (c: Record<string, any>) => void, string]>([
    [
      'the same region twice',
      (c) => (c.regions.standby = 'us-east-1'),
      'regions.standby: got "us-east-1", expected a region other than regions.primary ("us-east-1"): DR needs two regions',
    ],
    [
      'an unknown region',
      (c) => (c.regions.standby = 'us-west-9'),
      'regions.standby: got "us-west-9", expected one of the known AWS regions',
    ],
    [
      'a malformed domain',
      (c) => (c.domainName = 'https://www.example.com/'),
      'domainName: got "https://www.example.com/", expected a lowercase DNS name such as "www.example.com" (no trailing dot, no scheme)',
    ],
    [
      'a zone that does not contain the domain',
      (c) => (c.domainName = 'www.example.org'),
      'domainName: got "www.example.org", expected a name inside hostedZone.name ("example.com")',
    ],
    [
      'a zone whose name is only a suffix of a label',
      (c) => (c.domainName = 'www.badexample.com'),
      'domainName: got "www.badexample.com", expected a name inside hostedZone.name ("example.com")',
    ],
    [
      'a non-positive RTO',
      (c) => (c.objectives.rtoMinutes = 0),
      'objectives.rtoMinutes: got 0, expected a positive number of minutes',
    ],
    [
      'an absurd RPO',
      (c) => (c.objectives.rpoMinutes = 100000),
      'objectives.rpoMinutes: got 100000, expected at most 1440 minutes (one day)',
    ],
    [
      'a fractional RTO',
      (c) => (c.objectives.rtoMinutes = 2.5),
      'objectives.rtoMinutes: got 2.5, expected a whole number',
    ],
    [
      'a bad e-mail',
      (c) => (c.alertEmail = 'oncall'),
      'alertEmail: got "oncall", expected an e-mail address such as "oncall@example.com"',
    ],
    ['an unknown key', (c) => (c.rto = 5), 'rto: unknown key (value 5); remove it or fix its spelling'],
    [
      'an unknown nested key',
      (c) => (c.healthCheck.path = '/x'),
      'healthCheck.path: unknown key (value "/x"); remove it or fix its spelling',
    ],
    ['a missing field', (c) => delete c.alertEmail, 'alertEmail: missing, expected a string'],
    ['an account id as a number', (c) => (c.account = 111111111111), 'account: got 111111111111, expected a string'],
    [
      'a short account id',
      (c) => (c.account = '1234'),
      'account: got "1234", expected a 12-digit AWS account id, as a string',
    ],
    [
      'an interval Route 53 does not offer',
      (c) => (c.healthCheck.intervalSeconds = 15),
      'healthCheck.intervalSeconds: got 15, expected 10 or 30 (the only intervals Route 53 offers)',
    ],
    [
      'a failure threshold over 10',
      (c) => (c.healthCheck.failureThreshold = 11),
      'healthCheck.failureThreshold: got 11, expected between 1 and 10',
    ],
    [
      'version retention shorter than the PITR window',
      (c) => (c.content.versionRetentionDays = 7),
      'content.versionRetentionDays: got 7, expected at least 35 days (the point-in-time restore window)',
    ],
    [
      'a hosted zone id that is not one',
      (c) => (c.hostedZone.id = 'example.com'),
      'hostedZone.id: got "example.com", expected a Route 53 hosted zone id such as "Z0123456789ABC"',
    ],
    [
      'a break-glass role name IAM would refuse',
      (c) => (c.protection = { breakGlassRoleName: 'break glass' }),
      'protection.breakGlassRoleName: got "break glass", expected an IAM role name: 1-64 letters, digits or +=,.@_- characters',
    ],
    [
      'an air-gapped copy switch that is not a boolean',
      (c) => (c.protection = { airGappedCopy: 'yes' }),
      'protection.airGappedCopy: got "yes", expected true or false',
    ],
    // Each pattern is anchored at both ends: a good value with junk before or after it is refused.
    [
      'a 13-digit account id',
      (c) => (c.account = '1111111111112'),
      'account: got "1111111111112", expected a 12-digit AWS account id, as a string',
    ],
    [
      'an account id after a letter',
      (c) => (c.account = 'a111111111111'),
      'account: got "a111111111111", expected a 12-digit AWS account id, as a string',
    ],
    [
      'an app name ending with a hyphen',
      (c) => (c.appName = 'portfolio-'),
      'appName: got "portfolio-", expected 3 to 20 lowercase letters, digits or hyphens, starting with a letter',
    ],
    [
      'an app name with an uppercase letter after a good one',
      (c) => (c.appName = 'portfolioX'),
      'appName: got "portfolioX", expected 3 to 20 lowercase letters',
    ],
    [
      'an app name starting with a digit',
      (c) => (c.appName = '1portfolio'),
      'appName: got "1portfolio", expected 3 to 20 lowercase letters',
    ],
    ['an app name of 21 characters', (c) => (c.appName = 'a'.repeat(21)), 'appName: got "aaaaaaaaaaaaaaaaaaaaa"'],
    ['an app name of 2 characters', (c) => (c.appName = 'ab'), 'appName: got "ab", expected 3 to 20'],
    [
      'a hosted zone id with a lowercase tail',
      (c) => (c.hostedZone.id = 'Z0123456789ABCx'),
      'hostedZone.id: got "Z0123456789ABCx", expected a Route 53 hosted zone id',
    ],
    [
      'a hosted zone id with a resource prefix',
      (c) => (c.hostedZone.id = '/hostedzone/Z0123456789ABC'),
      'hostedZone.id: got "/hostedzone/Z0123456789ABC", expected a Route 53 hosted zone id',
    ],
    [
      'an e-mail with a display name before it',
      (c) => (c.alertEmail = 'On Call <oncall@example.com>'),
      'alertEmail: got "On Call <oncall@example.com>", expected an e-mail address',
    ],
    [
      'an e-mail with a space after it',
      (c) => (c.alertEmail = 'oncall@example.com extra'),
      'alertEmail: got "oncall@example.com extra", expected an e-mail address',
    ],
    [
      'an e-mail without a dot in the domain',
      (c) => (c.alertEmail = 'oncall@localhost'),
      'alertEmail: got "oncall@localhost", expected an e-mail address',
    ],
    [
      'a search string ending with a space',
      (c) => (c.healthCheck.searchString = 'ok '),
      'healthCheck.searchString: got "ok ", expected printable ASCII without spaces',
    ],
    [
      'a search string starting with a tab',
      (c) => (c.healthCheck.searchString = '\tok'),
      'healthCheck.searchString: got "\\tok", expected printable ASCII without spaces',
    ],
    [
      'a search string over 255 characters',
      (c) => (c.healthCheck.searchString = 'x'.repeat(256)),
      'expected at most 255 characters',
    ],
    [
      'a domain with a scheme before a good name',
      (c) => (c.domainName = 'https://www.example.com'),
      'domainName: got "https://www.example.com", expected a lowercase DNS name',
    ],
    [
      'a domain with a trailing dot',
      (c) => (c.domainName = 'www.example.com.'),
      'domainName: got "www.example.com.", expected a lowercase DNS name',
    ],
    [
      'a domain whose label ends with a hyphen',
      (c) => (c.domainName = 'www-.example.com'),
      'domainName: got "www-.example.com", expected a lowercase DNS name',
    ],
    [
      'a domain with a numeric top-level label',
      (c) => (c.domainName = 'www.example.c0m'),
      'domainName: got "www.example.c0m", expected a lowercase DNS name',
    ],
    [
      'a domain over 253 characters',
      (c) => (c.domainName = `${'a.'.repeat(124)}example.com`),
      `domainName: got "${'a.'.repeat(124)}example.com", expected at most 253 characters`,
    ],
    [
      'a hosted zone name that is not a DNS name',
      (c) => (c.hostedZone.name = 'Example.com'),
      'hostedZone.name: got "Example.com", expected a lowercase DNS name such as "example.com"',
    ],
    [
      'a break-glass role name of 65 characters',
      (c) => (c.protection = { breakGlassRoleName: 'r'.repeat(65) }),
      'protection.breakGlassRoleName: got "rrrrr',
    ],
    [
      'a break-glass role name with a bad character after good ones',
      (c) => (c.protection = { breakGlassRoleName: 'break-glass/' }),
      'protection.breakGlassRoleName: got "break-glass/", expected an IAM role name',
    ],
    [
      'a break-glass role name with a bad character before good ones',
      (c) => (c.protection = { breakGlassRoleName: '/break-glass' }),
      'protection.breakGlassRoleName: got "/break-glass", expected an IAM role name',
    ],
    ['regions as null', (c) => (c.regions = null), 'regions: got null, expected an object'],
    [
      'regions without a standby',
      (c) => delete c.regions.standby,
      'regions.standby: got missing, expected one of the known AWS regions (us-east-1,',
    ],
    [
      'a domain name given as a list (the cross-field check takes strings only)',
      (c) => (c.domainName = ['www.example.org']),
      'domainName: got ["www.example.org"], expected a string',
    ],
    [
      'an unknown primary region',
      (c) => (c.regions.primary = 'mars-1'),
      'regions.primary: got "mars-1", expected one of the known AWS regions (us-east-1, us-east-2,',
    ],
    [
      'a fractional RPO',
      (c) => (c.objectives.rpoMinutes = 1.5),
      'objectives.rpoMinutes: got 1.5, expected a whole number',
    ],
    [
      'a failure threshold of 0',
      (c) => (c.healthCheck.failureThreshold = 0),
      'healthCheck.failureThreshold: got 0, expected between 1 and 10',
    ],
    [
      'a fractional failure threshold',
      (c) => (c.healthCheck.failureThreshold = 1.5),
      'healthCheck.failureThreshold: got 1.5, expected a whole number',
    ],
    [
      'a fractional version retention',
      (c) => (c.content.versionRetentionDays = 40.5),
      'content.versionRetentionDays: got 40.5, expected a whole number',
    ],
    [
      'a version retention over ten years',
      (c) => (c.content.versionRetentionDays = 3651),
      'content.versionRetentionDays: got 3651, expected at most 3650 days',
    ],
  ])('rejects %s, naming the field and the value', (_name, mutate, expected) => {
    const input = valid();
    mutate(input);
    const err = errorOf(() => parseConfig(input, 'my.json'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toContain(expected);
    expect(err.message).toBe(`Invalid config my.json:\n  - ${err.problems[0]}`);
  });

  test.each<[string, (c: Record<string, any>) => void]>([
    ['an app name of 3 characters', (c) => (c.appName = 'abc')],
    ['an app name of 20 characters with digits and hyphens', (c) => (c.appName = 'a1-b2-c3-d4-e5-f6-g7')],
    ['a one-character hosted zone id tail', (c) => (c.hostedZone.id = 'Z1')],
    ['a break-glass role name of 64 characters', (c) => (c.protection = { breakGlassRoleName: 'r'.repeat(64) })],
    ['a break-glass role name with every allowed sign', (c) => (c.protection = { breakGlassRoleName: 'a+=,.@_-b' })],
    ['an RTO of one day', (c) => (c.objectives.rtoMinutes = 1440)],
    ['an RPO of 1 minute', (c) => (c.objectives.rpoMinutes = 1)],
    ['a failure threshold of 1 and of 10', (c) => (c.healthCheck.failureThreshold = 10)],
    ['a 255-character search string', (c) => (c.healthCheck.searchString = '~'.repeat(255))],
    ['version retention of 35 and 3650 days', (c) => (c.content.versionRetentionDays = 3650)],
    ['a 10 s interval', (c) => (c.healthCheck.intervalSeconds = 10)],
    [
      'a one-letter subdomain of a two-letter top-level domain',
      (c) => ((c.domainName = 'a.example.io'), (c.hostedZone.name = 'example.io')),
    ],
    ['any known pair of regions', (c) => (c.regions = { primary: 'eu-central-2', standby: 'il-central-1' })],
  ])('accepts %s', (_name, mutate) => {
    const input = valid();
    mutate(input);
    expect(parseConfig(input)).toEqual(input);
  });

  test('every known region is a region of the aws partition that the CDK knows', () => {
    const known = new Set(RegionInfo.regions.filter((r) => r.partition === 'aws').map((r) => r.name));
    const regions = knownRegions();
    expect(regions.filter((r) => !known.has(r))).toEqual([]);
    expect(regions).toHaveLength(new Set(regions).size);
    expect(regions).toHaveLength(28);
  });

  test('the objective limit is one day and continuous backups keep 35 days', () => {
    expect(MAX_OBJECTIVE_MINUTES).toBe(1440);
    expect(CONTINUOUS_BACKUP_DAYS).toBe(35);
  });

  test('an empty search string is both too short and not printable ASCII', () => {
    const input = valid();
    input.healthCheck.searchString = '';
    expect(errorOf(() => parseConfig(input)).problems).toEqual([
      'healthCheck.searchString: got "", expected a non-empty string',
      'healthCheck.searchString: got "", expected printable ASCII without spaces',
    ]);
  });

  test('a ConfigError carries its source and problems, and is named for users', () => {
    const err = errorOf(() => parseConfig(null, 'x.json'));
    expect(err.name).toBe('ConfigError');
    expect(err.source).toBe('x.json');
    expect(err.problems).toEqual(['(root): got null, expected an object']);
    expect(errorOf(() => parseConfig({ ...valid(), regions: null })).message).toMatch(/^Invalid config config:\n/);
  });

  test('lists every bad field in one error, cross-field checks included', () => {
    const input = valid();
    input.regions.standby = 'us-east-1';
    input.domainName = 'www.example.org';
    input.alertEmail = 'nope';
    input.objectives.rtoMinutes = -1;
    input.extra = true;
    const err = errorOf(() => parseConfig(input, 'my.json'));
    expect(err.message).toBe(
      [
        'Invalid config my.json:',
        '  - objectives.rtoMinutes: got -1, expected a positive number of minutes',
        '  - alertEmail: got "nope", expected an e-mail address such as "oncall@example.com"',
        '  - extra: unknown key (value true); remove it or fix its spelling',
        '  - regions.standby: got "us-east-1", expected a region other than regions.primary ("us-east-1"): DR needs two regions',
        '  - domainName: got "www.example.org", expected a name inside hostedZone.name ("example.com")',
      ].join('\n'),
    );
  });

  test('protection is optional, and each of its fields too (the defaults: <appName>-break-glass, no air-gapped copy)', () => {
    const input = valid();
    delete input.protection;
    expect(parseConfig(input).protection).toBeUndefined();
    input.protection = { airGappedCopy: true };
    expect(parseConfig(input).protection).toEqual({ airGappedCopy: true });
  });

  test('a domain equal to the zone apex is accepted', () => {
    const input = valid();
    input.domainName = 'example.com';
    expect(parseConfig(input).domainName).toBe('example.com');
  });

  describe('paging', () => {
    const email = (i: number) => ({ protocol: 'email', endpoint: `oncall${i}@example.com` });
    const problems = (paging: unknown) => {
      const input = valid();
      input.paging = paging;
      return errorOf(() => parseConfig(input)).problems;
    };

    test('20 subscriptions per urgency are accepted, 21 are not', () => {
      const input = valid();
      input.paging = { high: Array.from({ length: 20 }, (_, i) => email(i)) };
      expect(parseConfig(input).paging?.high).toHaveLength(20);
      expect(problems({ high: Array.from({ length: 21 }, (_, i) => email(i)) })).toEqual([
        expect.stringMatching(/^paging\.high: got \[.*\], expected at most 20 subscriptions$/),
      ]);
    });

    test.each<[string, unknown, string]>([
      [
        'an https endpoint with a space inside (the URL parser would encode it)',
        { high: [{ protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/a b/enqueue' }] },
        'paging.high.0.endpoint: got "https://events.pagerduty.com/integration/a b/enqueue", expected an https:// URL',
      ],
      [
        'a docs base URL with a space inside',
        { docsBaseUrl: 'https://github.com/acme/dr/blob/main/my docs/' },
        'paging.docsBaseUrl: got "https://github.com/acme/dr/blob/main/my docs/", expected an https:// URL',
      ],
      [
        'an SMS number with 16 digits',
        { low: [{ protocol: 'sms', endpoint: '+1415555010012345' }] },
        'paging.low.0.endpoint: got "+1415555010012345", expected a phone number in E.164 format',
      ],
      [
        'an SMS number after a label',
        { low: [{ protocol: 'sms', endpoint: 'tel:+14155550100' }] },
        'paging.low.0.endpoint: got "tel:+14155550100", expected a phone number in E.164 format',
      ],
      [
        'an SMS number with a country code starting with 0',
        { low: [{ protocol: 'sms', endpoint: '+04155550100' }] },
        'paging.low.0.endpoint: got "+04155550100", expected a phone number in E.164 format',
      ],
      [
        'a string where a list is expected (zod names the type "array")',
        { high: 'oncall@example.com' },
        'paging.high: got "oncall@example.com", expected array',
      ],
    ])('rejects %s', (_name, paging, expected) => {
      const found = problems(paging);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(expected);
    });

    test('an empty endpoint is reported as empty and as not matching its protocol', () => {
      expect(problems({ low: [{ protocol: 'email', endpoint: '' }] })).toEqual([
        'paging.low.0.endpoint: got "", expected a non-empty endpoint',
        'paging.low.0.endpoint: got "", expected an e-mail address such as "oncall@example.com"',
      ]);
    });

    test('a 15-digit SMS number and an https URL with a path are accepted', () => {
      const input = valid();
      input.paging = {
        high: [
          { protocol: 'sms', endpoint: '+141555501001234' },
          { protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/abc/enqueue' },
        ],
      };
      expect(parseConfig(input).paging).toEqual(input.paging);
    });

    // What the paging stacks subscribe (test/paging/paging.test.ts builds them from these lists).
    test('pagingSubscriptions: an urgency left out pages alertEmail by e-mail; the list given replaces it', () => {
      const input = valid();
      input.paging = { high: [{ protocol: 'sms', endpoint: '+447700900123' }] };
      const config = parseConfig(input);
      expect(pagingSubscriptions(config, 'high')).toEqual([{ protocol: 'sms', endpoint: '+447700900123' }]);
      expect(pagingSubscriptions(config, 'low')).toEqual([{ protocol: 'email', endpoint: input.alertEmail }]);
      expect(pagingSubscriptions(parseConfig(valid()), 'high')).toEqual([
        { protocol: 'email', endpoint: input.alertEmail },
      ]);
    });

    test("pagingSubscriptions: each urgency's list as given, e-mail, SMS and a PagerDuty HTTPS endpoint", () => {
      const pd = 'https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue';
      const input = valid();
      input.paging = {
        high: [
          { protocol: 'https', endpoint: pd },
          { protocol: 'sms', endpoint: '+14155550100' },
        ],
        low: [{ protocol: 'email', endpoint: 'team@acme.io' }],
      };
      const config = parseConfig(input);
      expect(pagingSubscriptions(config, 'high')).toEqual(input.paging.high);
      expect(pagingSubscriptions(config, 'low')).toEqual(input.paging.low);
    });

    test('every bad subscription is reported with its field, its value and what was expected', () => {
      expect(
        problems({
          high: [
            { protocol: 'sms', endpoint: '0044 7700 900123' },
            { protocol: 'https', endpoint: 'http://events.pagerduty.com/integration/x/enqueue' },
            { protocol: 'pager', endpoint: 'x' },
            { protocol: 'email', endpoint: 'oncall' },
          ],
          low: [],
          docsBaseUrl: 'docs.acme.io',
        }),
      ).toEqual([
        'paging.high.0.endpoint: got "0044 7700 900123", expected a phone number in E.164 format such as "+14155550100" (a "+", the country code, no spaces)',
        'paging.high.1.endpoint: got "http://events.pagerduty.com/integration/x/enqueue", expected an https:// URL such as a PagerDuty integration URL "https://events.pagerduty.com/integration/<integration key>/enqueue"',
        'paging.high.2.protocol: got "pager", expected one of "email", "sms", "https"',
        'paging.high.3.endpoint: got "oncall", expected an e-mail address such as "oncall@example.com"',
        'paging.low: got [], expected at least one subscription (or leave the urgency out)',
        'paging.docsBaseUrl: got "docs.acme.io", expected an https:// URL under which docs/runbooks/<name>.md is published',
      ]);
    });

    test('a subscription listed twice in one urgency is refused', () => {
      expect(
        problems({
          low: [
            { protocol: 'email', endpoint: 'a@acme.io' },
            { protocol: 'email', endpoint: 'A@acme.io' },
          ],
        }),
      ).toEqual([
        'paging.low.1: got {"protocol":"email","endpoint":"A@acme.io"}, expected no duplicate: email A@acme.io is listed twice',
      ]);
    });

    test('an unknown key in a subscription is named', () => {
      expect(problems({ high: [{ protocol: 'email', endpoint: 'a@acme.io', to: 'x' }] })).toEqual([
        'paging.high.0.to: unknown key (value "x"); remove it or fix its spelling',
      ]);
    });
  });

  describe('loadConfig', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drconfig-'));

    test('a missing file is a ConfigError naming the path', () => {
      const file = path.join(dir, 'nope.json');
      expect(errorOf(() => loadConfig(file)).message).toBe(`Invalid config ${file}:\n  - cannot read the file: ENOENT`);
    });

    test('a file that is not JSON is a ConfigError naming the path', () => {
      const file = path.join(dir, 'bad.json');
      fs.writeFileSync(file, '{ "appName": ');
      expect(errorOf(() => loadConfig(file)).message).toMatch(
        new RegExp(`^Invalid config ${file.replace(/[.\\/]/g, '\\$&')}:\n  - not valid JSON: `),
      );
    });

    test('reads the default config from the repo', () => {
      expect(loadConfig(path.join(ROOT, DEFAULT_CONFIG_PATH)).appName).toBe('portfolio');
      expect(DEFAULT_CONFIG_PATH).toBe('config/default.json');
    });
  });
});
