import { InvalidArgumentError } from 'commander';
import { parseDirectory, parseWholeSeconds } from '../../cli/option-parsers';
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

test.each([
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
