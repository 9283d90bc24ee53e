import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT, exitCodeOf, UsageError } from '../../cli/exit-codes';
import { buildProgram } from '../../cli/main';
import { DeploymentError } from '../../lambda/contract/deployment';
import { ReleaseInputError } from '../../lambda/lib/release';
import { RestoreInputError } from '../../lambda/lib/restore/restore';
import { ConfigError } from '../../lib/config';
import { drctl } from '../support/drctl';

/** What each command that takes --config needs besides it to get as far as reading the config. */
const EXTRA_ARGS: Record<string, string[]> = {
  preflight: [],
  status: [],
  readiness: [],
  failover: [],
  failback: [],
  'rollback-release': [],
  'publish-release': ['--dir', 'site', '--release', '2026-11-28.1'],
  drill: ['--rto-budget', '396', '--rpo-budget', '960'],
};

test('the table covers every command that takes --config', () => {
  const withConfig = buildProgram()
    .commands.filter((c) => c.options.some((o) => o.long === '--config'))
    .map((c) => c.name());
  expect(withConfig.sort()).toEqual(Object.keys(EXTRA_ARGS).sort());
});

describe.each(Object.entries(EXTRA_ARGS))('drctl %s with a config it cannot use exits 2', (command, extra) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drctl-config-'));
  const invalidJson = path.join(dir, 'broken.json');
  fs.writeFileSync(invalidJson, '{ "appName": ');
  const invalidField = path.join(dir, 'same-regions.json');
  const config = JSON.parse(fs.readFileSync(path.join('config', 'default.json'), 'utf8'));
  fs.writeFileSync(
    invalidField,
    JSON.stringify({ ...config, regions: { primary: 'us-east-1', standby: 'us-east-1' } }),
  );

  test.each([
    ['a missing file', '/nonexistent.json', 'Invalid config /nonexistent.json:\n  - cannot read the file: ENOENT'],
    ['invalid JSON', invalidJson, `Invalid config ${invalidJson}:\n  - not valid JSON: Unexpected end of JSON input`],
    [
      'an invalid field',
      invalidField,
      `Invalid config ${invalidField}:\n  - regions.standby: got "us-east-1", expected a region other than regions.primary ("us-east-1"): DR needs two regions`,
    ],
  ])('%s', async (_, file, message) => {
    const r = await drctl(command, '--config', file, ...extra);
    expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({
      code: 2,
      stderr: `drctl ${command}: ${message}\n`,
      stdout: '',
    });
  });
});

describe('exitCodeOf', () => {
  test.each([
    ['UsageError (cli)', new UsageError('x')],
    ['ConfigError (config)', new ConfigError('c.json', ['appName: missing'])],
    ['DeploymentError (contract)', new DeploymentError('x')],
    ['ReleaseInputError (release playbooks)', new ReleaseInputError('x')],
    ['RestoreInputError (restore playbook)', new RestoreInputError('x')],
  ])('%s is bad input: 2', (_, err) => {
    expect(exitCodeOf(err)).toBe(EXIT.USAGE);
  });

  test('any other error is not mapped: the command failed', () => {
    expect(exitCodeOf(new Error('AccessDenied'))).toBeUndefined();
  });
});
