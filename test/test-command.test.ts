import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './support/config';

// `npm test` installs the Python tools (scripts/setup-test-tools.sh) while `npm run check` runs, and
// starts jest only once both have succeeded. Here its script runs with stand-ins for bash, npm and
// jest that log what they were asked to do and exit as told.
const script: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.test;

function runTestScript(setupExit: number, checkExit: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-command-'));
  const log = path.join(dir, 'log');
  const stub = (name: string, body: string) =>
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  stub(
    'bash',
    `echo "setup $*" >> ${log}; [ ${setupExit} -eq 0 ] || { echo "setup-test-tools: no network" >&2; exit ${setupExit}; }; sleep 0.2; echo "setup done" >> ${log}`,
  );
  stub('npm', `echo "npm $*" >> ${log}; exit ${checkExit}`);
  stub('jest', `echo "jest $*" >> ${log}`);
  const run = spawnSync('/bin/sh', ['-c', `${script} test/config.test.ts`], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: `${dir}:/usr/bin:/bin` },
  });
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').sort() : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: run.status, stderr: run.stderr, lines };
}

describe('the npm test script', () => {
  test('runs the setup and the check, then jest with the arguments given', () => {
    const run = runTestScript(0, 0);
    expect(run.status).toBe(0);
    expect(run.lines).toEqual([
      'jest test/config.test.ts',
      'npm run check',
      'setup done',
      'setup scripts/setup-test-tools.sh',
    ]);
  });

  test('a failed setup fails it with the setup message, and jest does not run', () => {
    const run = runTestScript(3, 0);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toBe('setup-test-tools: no network\n');
    expect(run.lines).toEqual(['npm run check', 'setup scripts/setup-test-tools.sh']);
  });

  test('a failed check fails it, and jest does not run', () => {
    const run = runTestScript(0, 1);
    expect(run.status).not.toBe(0);
    expect(run.lines).toEqual(['npm run check', 'setup done', 'setup scripts/setup-test-tools.sh']);
  });
});
