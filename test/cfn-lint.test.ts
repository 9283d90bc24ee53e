import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { ROOT, sharedCdkOut } from './support/app';

// cfn-lint (PyPI) over every synthesized template. The test command installs it into .venv
// (scripts/setup-test-tools.sh); accepted warnings are listed, with reasons, in cfn-lint-exceptions.json.

interface Finding {
  readonly Filename: string;
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Location: { Path: (string | number)[] };
  readonly Rule: { Id: string };
}

interface Exception {
  readonly check: string;
  readonly template: string;
  readonly resource: string;
  readonly reason: string;
}

const CFN_LINT = path.join(ROOT, '.venv', 'bin', 'cfn-lint');
const exceptions: Exception[] = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'cfn-lint-exceptions.json'), 'utf8'),
).exceptions;

function lint(templates: string[]): Finding[] {
  const result = spawnSync(CFN_LINT, ['--format', 'json', ...templates], { encoding: 'utf8' });
  // cfn-lint exits non-zero when it finds anything; a crash prints no JSON.
  if (!result.stdout.trim().startsWith('[')) throw new Error(`cfn-lint did not run: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout);
}

const matches = (f: Finding, e: Exception) =>
  f.Rule.Id === e.check &&
  path.basename(f.Filename) === `${e.template}.template.json` &&
  f.Location.Path[0] === 'Resources' &&
  new RegExp(e.resource).test(String(f.Location.Path[1]));

const describe_ = fs.existsSync(CFN_LINT) ? describe : describe.skip;

describe_('cfn-lint', () => {
  const outdir = sharedCdkOut();
  const templates = fs
    .readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => path.join(outdir, f));
  // A template with a real mistake, linted in the same run (cfn-lint takes seconds to start).
  const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-')), 'broken.template.json');
  fs.writeFileSync(
    broken,
    JSON.stringify({
      Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'On' } } } },
    }),
  );
  const all = lint([...templates, broken]);
  const findings = all.filter((f) => path.resolve(f.Filename) !== broken);
  const show = (f: Finding) => `${path.basename(f.Filename)} ${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`;

  test('lints all eleven templates', () => {
    expect(templates).toHaveLength(11);
  });

  test('reports no error', () => {
    expect(findings.filter((f) => f.Level === 'Error').map(show)).toEqual([]);
  });

  test('every warning is listed, with a reason, in cfn-lint-exceptions.json', () => {
    expect(findings.filter((f) => f.Level !== 'Error' && !exceptions.some((e) => matches(f, e))).map(show)).toEqual([]);
  });

  test('every listed exception still matches a warning, and gives a reason', () => {
    for (const e of exceptions) {
      expect({ ...e, matched: findings.some((f) => matches(f, e)) }).toEqual({ ...e, matched: true });
      expect(e.reason.length).toBeGreaterThan(40);
    }
  });

  test('a template with a real mistake is caught', () => {
    expect(all.filter((f) => path.resolve(f.Filename) === broken).map((f) => [f.Level, f.Rule.Id])).toContainEqual([
      'Error',
      'E3030',
    ]);
  });
});

test('the test command installs cfn-lint (so the suite above cannot be skipped in CI)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.scripts.test).toBe('bash scripts/test.sh');
  expect(fs.readFileSync(path.join(ROOT, 'scripts/test.sh'), 'utf8')).toMatch(
    /^bash scripts\/setup-test-tools\.sh &$/m,
  );
  expect(fs.existsSync(CFN_LINT)).toBe(true);
});
