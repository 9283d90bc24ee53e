import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './support/config';

/**
 * Runs `cdk synth` in the repo, as the README says: through `npx` as a user types it (`npx: true`),
 * or through the same CLI binary that `npx cdk` resolves to (node_modules/.bin/cdk), which skips
 * npm's start-up (about 0.5 s of CPU a run here). Either way the CLI reads cdk.json and runs its
 * app command (`npx tsx bin/portfolio-dr.ts`) with the context and output directory it passes, and
 * shows the app's output and exit status as a user sees them. `validation` turns aws-cdk-lib's
 * built-in CloudFormation validation on (as for a user) or off (jest.config.js turns it off for the
 * tests; a synth expected to fail before the templates exist, or on the project's own RTO check,
 * has nothing for it to add).
 */
function cdkSynth(args: string[], { validation, npx = false }: { validation: boolean; npx?: boolean }) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-'));
  const synth = ['synth', '--quiet', '-o', outdir, ...args];
  const [command, commandArgs] = npx
    ? ['npx', ['cdk', ...synth]]
    : [process.execPath, [path.join(ROOT, 'node_modules', '.bin', 'cdk'), ...synth]];
  const result = spawnSync(command, commandArgs, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', CDK_VALIDATION: String(validation) },
  });
  return { ...result, outdir };
}

// What each test costs (CPU, user+sys, on this two-core machine, measured 2026-11-30): the README's
// synth with the validation on about 21 s (without it the same synth takes about 6.5 s); the
// invalid config about 3 s, of which the CLI (npx, cdk) takes about 1.5 s and the app about 1.1 s
// (tsx, the construct modules it imports, then the config check, which fails before any stack is
// built); the RTO of 1 minute about 8 s without the validation: the budget check runs on the
// synthesized templates of the whole app, so every stack is built (skipping the Lambda bundle with
// `--exclusively` saved nothing measurable). The failing cases run the CLI binary without npx.
describe('npx cdk synth', () => {
  test('on the default config writes the templates of all eleven stacks, offline, with the built-in CloudFormation validation on as for a user, and exits 0', () => {
    const { status, outdir, stderr } = cdkSynth([], { validation: true, npx: true });
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const templates = fs
      .readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .sort();
    expect(templates).toEqual([
      'portfolio-data-primary.template.json',
      'portfolio-data-standby.template.json',
      'portfolio-drill.template.json',
      'portfolio-global-dns.template.json',
      'portfolio-hosting-primary.template.json',
      'portfolio-hosting-standby.template.json',
      'portfolio-paging-us-east-1.template.json',
      'portfolio-paging-us-west-2.template.json',
      'portfolio-readiness.template.json',
      'portfolio-recovery-primary.template.json',
      'portfolio-recovery-standby.template.json',
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const envs = Object.fromEntries(
      Object.entries(manifest.artifacts as Record<string, any>)
        .filter(([, a]) => a.type === 'aws:cloudformation:stack')
        .map(([id, a]) => [id, a.environment]),
    );
    expect(envs).toEqual({
      'portfolio-data-primary': 'aws://111111111111/us-east-1',
      'portfolio-data-standby': 'aws://111111111111/us-west-2',
      'portfolio-drill': 'aws://111111111111/us-west-2',
      'portfolio-hosting-primary': 'aws://111111111111/us-east-1',
      'portfolio-hosting-standby': 'aws://111111111111/us-west-2',
      'portfolio-paging-us-east-1': 'aws://111111111111/us-east-1',
      'portfolio-paging-us-west-2': 'aws://111111111111/us-west-2',
      'portfolio-global-dns': 'aws://111111111111/us-east-1',
      'portfolio-recovery-primary': 'aws://111111111111/us-east-1',
      'portfolio-recovery-standby': 'aws://111111111111/us-west-2',
      'portfolio-readiness': 'aws://111111111111/us-west-2',
    });
  });

  test('on an invalid config exits non-zero with one message listing every bad field, and no stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'badcfg-'));
    const file = path.join(dir, 'bad.json');
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'default.json'), 'utf8'));
    config.regions.standby = config.regions.primary;
    config.objectives.rpoMinutes = -5;
    config.alertEmail = 'pager';
    fs.writeFileSync(file, JSON.stringify(config));

    const { status, stderr, outdir } = cdkSynth(['-c', `config=${file}`], { validation: false });
    expect(status).not.toBe(0);
    expect(stderr).toContain(
      [
        `Invalid config ${file}:`,
        '  - objectives.rpoMinutes: got -5, expected a positive number of minutes',
        '  - alertEmail: got "pager", expected an e-mail address such as "oncall@example.com"',
        '  - regions.standby: got "us-east-1", expected a region other than regions.primary ("us-east-1"): DR needs two regions',
      ].join('\n'),
    );
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'))).toEqual([]);
  });

  test('with an RTO of 1 minute fails, naming the target, the computed worst case and its terms', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tightcfg-'));
    const file = path.join(dir, 'tight.json');
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'default.json'), 'utf8'));
    config.objectives.rtoMinutes = 1;
    fs.writeFileSync(file, JSON.stringify(config));

    const { status, stderr, stdout } = cdkSynth(['-c', `config=${file}`], { validation: false });
    expect(status).not.toBe(0);
    expect(stdout + stderr).toContain(
      'objectives.rtoMinutes is 1 min, but the worst-case automatic failover is 3.8 min = health check detects the failure 108 s',
    );
    expect(stdout + stderr).not.toContain('objectives.rpoMinutes');
  });
});

describe('bin/drctl.js', () => {
  test('a config it cannot read exits 2 (bad input), with the message and no stack trace', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin', 'drctl.js'), 'failover', '--config', '/nonexistent.json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 2,
      stderr: 'drctl failover: Invalid config /nonexistent.json:\n  - cannot read the file: ENOENT\n',
    });
  });
});
