import { InvalidArgumentError } from 'commander';
import { parseDirectory, parseInstantOption, parseReleaseId, parseWholeSeconds } from '../../cli/option-parsers';
import { drctl } from '../support/drctl';

test.each([
  ['0', 0],
  ['300', 300],
])('--wait %s is %d seconds', (value, seconds) => {
  expect(parseWholeSeconds(value)).toBe(seconds);
});

test.each(['', 'soon', '-1', '1.5', '1e400'])('--wait %j is refused', (value) => {
  expect(() => parseWholeSeconds(value)).toThrow(new InvalidArgumentError('expected a whole number of seconds'));
});

test('--dir must be a directory', () => {
  expect(parseDirectory(__dirname)).toBe(__dirname);
  expect(() => parseDirectory(__filename)).toThrow(new InvalidArgumentError('not a directory'));
  expect(() => parseDirectory(`${__dirname}/nowhere`)).toThrow(new InvalidArgumentError('not a directory'));
});

test('--to of restore is an instant with a UTC offset', () => {
  expect(parseInstantOption('2026-11-28T11:00:00+01:00').toISOString()).toBe('2026-11-28T10:00:00.000Z');
});

const INSTANT_EXPECTED =
  'expected an ISO-8601 instant with a UTC offset, e.g. 2026-11-28T10:00:00Z or 2026-11-28T11:00:00+01:00';

test.each(['2026-11-28 10:00', '2026-11-28T10:00:00', 'yesterday', '2026-02-30T10:00:00Z'])(
  '--to %j of restore is refused',
  (value) => {
    expect(() => parseInstantOption(value)).toThrow(new InvalidArgumentError(INSTANT_EXPECTED));
  },
);

const RELEASE_EXPECTED = 'expected a release id (letters, digits, . _ -, at most 64)';

test.each(['2026-11-28.1', 'r_1-a', 'a'.repeat(64)])('release id %j is accepted', (value) => {
  expect(parseReleaseId(value)).toBe(value);
});

test.each(['', '.hidden', 'a/b', 'rel ease', 'a'.repeat(65)])('release id %j is refused', (value) => {
  expect(() => parseReleaseId(value)).toThrow(new InvalidArgumentError(RELEASE_EXPECTED));
});

test.each([
  [
    ['restore', '--bucket', 'any', '--to', '2026-11-28T10:00:00'],
    `error: option '--to <instant>' argument '2026-11-28T10:00:00' is invalid. ${INSTANT_EXPECTED}\n`,
  ],
  [
    ['rollback-release', '--to', '../etc'],
    `error: option '--to <release>' argument '../etc' is invalid. ${RELEASE_EXPECTED}\n`,
  ],
  [
    ['publish-release', '--dir', __dirname, '--release', 'a/b'],
    `error: option '--release <id>' argument 'a/b' is invalid. ${RELEASE_EXPECTED}\n`,
  ],
  [
    ['failover', '--wait', 'soon'],
    `error: option '--wait <seconds>' argument 'soon' is invalid. expected a whole number of seconds\n`,
  ],
  [
    ['publish-release', '--dir', 'nowhere', '--release', '2026-11-28.1'],
    `error: option '--dir <path>' argument 'nowhere' is invalid. not a directory\n`,
  ],
])('drctl %j is bad usage before anything runs: exit 2, naming the option and the value', async (args, stderr) => {
  const r = await drctl(...args);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr });
});
