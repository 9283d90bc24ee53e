import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './support/config';

// `npm test` runs scripts/test.sh: the Python tools' setup (scripts/setup-test-tools.sh) and
// `npm run check` start together, jest starts once the setup has succeeded while the check still
// runs, and the check's output comes after jest's. Here the script runs with stand-ins for bash (the
// setup), npm (the check) and jest that log what they were asked to do and exit as told. The check's
// stand-in finishes only once jest has started or the setup has failed (or after 10 s), so a script that waited for the check
// before starting jest logs "check done" first.
const script: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.test;

function runTestScript({ setup = 0, check = 0, jest = 0 }: { setup?: number; check?: number; jest?: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-command-'));
  const log = path.join(dir, 'log');
  const stub = (name: string, body: string) =>
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  stub(
    'bash',
    `echo "setup $*" >> ${log}; [ ${setup} -eq 0 ] || { echo "setup failed" >> ${log}; echo "setup-test-tools: no network" >&2; exit ${setup}; }; sleep 0.2; echo "setup done" >> ${log}`,
  );
  stub(
    'npm',
    [
      `echo "npm $*" >> ${log}`,
      `for i in $(seq 100); do grep -q '^jest\\|^setup failed' ${log} && break; sleep 0.1; done`,
      `echo "check done" >> ${log}; echo "check output"; exit ${check}`,
    ].join('\n'),
  );
  stub('jest', `echo "jest $*" >> ${log}; echo "jest output"; exit ${jest}`);
  const run = spawnSync('/bin/bash', [path.join(ROOT, 'scripts', 'test.sh'), 'test/config.test.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: `${dir}:/usr/bin:/bin` },
  });
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lines };
}

const before = (lines: string[], a: string, b: string) => lines.indexOf(a) >= 0 && lines.indexOf(a) < lines.indexOf(b);

describe('the npm test script', () => {
  test('is scripts/test.sh', () => {
    expect(script).toBe('bash scripts/test.sh');
  });

  test('starts the setup and the check together, jest once the setup is done and while the check runs, with the arguments given', () => {
    const run = runTestScript({});
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect([...run.lines].sort()).toEqual([
      'check done',
      'jest test/config.test.ts',
      'npm run check',
      'setup done',
      'setup scripts/setup-test-tools.sh',
    ]);
    expect(before(run.lines, 'npm run check', 'setup done')).toBe(true);
    expect(before(run.lines, 'setup done', 'jest test/config.test.ts')).toBe(true);
    expect(before(run.lines, 'jest test/config.test.ts', 'check done')).toBe(true);
    // The check's output is held until jest's is printed.
    expect(run.stdout.indexOf('jest output')).toBeLessThan(run.stdout.indexOf('check output'));
  });

  test('a failed setup fails it with the setup message and its exit status, jest does not run, and the check is still reported', () => {
    const run = runTestScript({ setup: 3 });
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(
      "setup-test-tools: no network\nnpm test: the test tools' setup failed (exit 3); jest not run\n",
    );
    expect(run.lines.filter((l) => l.startsWith('jest'))).toEqual([]);
    expect(run.stdout).toContain('check output');
  });

  test("a failed check fails it with the check's exit status and output, after jest has run", () => {
    const run = runTestScript({ check: 1 });
    expect(run.status).toBe(1);
    expect(run.lines).toContain('jest test/config.test.ts');
    expect(run.stdout).toMatch(/jest output\n[^]*check output/);
    expect(run.stderr).toBe('npm test: npm run check failed (exit 1), output above\n');
  });

  test("a failed jest run fails it with jest's exit status, and the check is still reported", () => {
    const run = runTestScript({ jest: 4, check: 1 });
    expect(run.status).toBe(4);
    expect(run.stdout).toContain('check output');
    expect(run.stderr).toBe('npm test: npm run check failed (exit 1), output above\n');
  });
});
