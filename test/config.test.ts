import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../lib/config';
import { defaultConfig, ROOT } from './support/config';

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
  ])('rejects %s, naming the field and the value', (_name, mutate, expected) => {
    const input = valid();
    mutate(input);
    const err = errorOf(() => parseConfig(input, 'my.json'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toContain(expected);
    expect(err.message).toBe(`Invalid config my.json:\n  - ${err.problems[0]}`);
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
      expect(loadConfig(path.join(ROOT, 'config', 'default.json')).appName).toBe('portfolio');
    });
  });
});
