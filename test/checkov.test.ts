import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { skipCheckov } from '../lib/shared/nag-acknowledgements';
import { ROOT, sharedCdkOut } from './support/app';

// checkov (PyPI), a second scanner beside cdk-nag and cfn-lint, over every synthesized template. The
// test command installs it into .venv (scripts/setup-test-tools.sh). Accepted findings are skipped on
// their resource through skipCheckov (lib/shared/nag-acknowledgements.ts), each with a reason.
// checkov runs once, offline: --skip-download keeps it from fetching guidelines from the Prisma Cloud
// platform (traced with strace -f -e trace=connect: no connection but the local nscd socket).

interface CheckResult {
  readonly check_id: string;
  readonly file_abs_path: string;
  readonly resource: string;
  readonly check_result: { readonly result: string; readonly suppress_comment?: string };
}

interface Report {
  readonly check_type: string;
  readonly summary: { readonly parsing_errors: number };
  readonly results: {
    readonly failed_checks: CheckResult[];
    readonly skipped_checks: CheckResult[];
    readonly parsing_errors: string[];
  };
}

interface Skip {
  readonly template: string;
  readonly logicalId: string;
  readonly type: string;
  readonly id: string;
  readonly comment: string;
}

type CfnTemplate = { Resources: Record<string, { Type: string; Metadata?: Record<string, any> }> };

const CHECKOV = path.join(ROOT, '.venv', 'bin', 'checkov');

function checkov(files: string[]): Report {
  const result = spawnSync(
    CHECKOV,
    [
      '--framework',
      'cloudformation',
      '--output',
      'json',
      '--compact',
      '--skip-download',
      ...files.flatMap((f) => ['-f', f]),
    ],
    // No platform key: checkov then reports locally only.
    { encoding: 'utf8', env: { ...process.env, BC_API_KEY: '', PRISMA_API_URL: '' }, maxBuffer: 256 * 1024 * 1024 },
  );
  // checkov exits 1 when a check fails; a crash prints no JSON.
  if (!result.stdout.trim().startsWith('{')) throw new Error(`checkov did not run: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout);
}

const readTemplate = (file: string): CfnTemplate => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Every Metadata.checkov.skip entry of a template. */
function skipsOf(file: string): Skip[] {
  const template = path.basename(file);
  return Object.entries(readTemplate(file).Resources).flatMap(([logicalId, r]) =>
    ((r.Metadata?.checkov?.skip ?? []) as { id: string; comment: string }[]).map((s) => ({
      template,
      logicalId,
      type: r.Type,
      ...s,
    })),
  );
}

/** A copy of the template without checkov skips: what checkov finds before any is accepted. */
function withoutSkips(file: string, dir: string): string {
  const template = readTemplate(file);
  for (const r of Object.values(template.Resources)) delete r.Metadata?.checkov;
  const copy = path.join(dir, path.basename(file));
  fs.writeFileSync(copy, JSON.stringify(template));
  return copy;
}

/** A one-topic stack: SNS topics without a KMS key fail CKV_AWS_26. */
function canaryTemplate(dir: string, skipped: boolean): string {
  const stack = new Stack(new App(), skipped ? 'SkippedCanary' : 'Canary');
  const topic = new sns.Topic(stack, 'Topic');
  if (skipped) skipCheckov(topic, ['CKV_AWS_26'], 'Canary: a reason written through skipCheckov, read by checkov.');
  const file = path.join(dir, `${stack.stackName}.template.json`);
  fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
  return file;
}

const describe_ = fs.existsSync(CHECKOV) ? describe : describe.skip;

describe_('checkov', () => {
  const outdir = sharedCdkOut();
  const templates = fs
    .readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => path.join(outdir, f));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'checkov-'));
  const rawDir = path.join(scratch, 'raw');
  fs.mkdirSync(rawDir);
  const raw = templates.map((t) => withoutSkips(t, rawDir));
  const canary = canaryTemplate(scratch, false);
  const skippedCanary = canaryTemplate(scratch, true);

  // One checkov run over the templates, their copies without skips and the two canaries.
  const started = Date.now();
  const report = checkov([...templates, ...raw, canary, skippedCanary]);
  const seconds = (Date.now() - started) / 1000;
  const under = (dir: string, r: CheckResult) => path.dirname(path.resolve(r.file_abs_path)) === dir;
  const show = (r: CheckResult) => `${path.basename(r.file_abs_path)} ${r.check_id} ${r.resource}`;
  const skips = templates.flatMap(skipsOf);

  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  // The bound catches a scan that hangs (a network lookup, a runaway check), not a slow machine:
  // one run takes about 20 s alone on two cores and went past 60 s whenever other test runs
  // loaded the machine, failing CI for no defect.
  test('scans all eleven templates, each parsed, in one run of under five minutes', () => {
    expect(templates).toHaveLength(11);
    expect({ parsingErrors: report.results.parsing_errors, seconds: seconds < 300 }).toEqual({
      parsingErrors: [],
      seconds: true,
    });
  });

  test('reports no failed check', () => {
    expect(report.results.failed_checks.filter((r) => under(outdir, r)).map(show)).toEqual([]);
  });

  test('every skip names a check and gives a reason a reviewer can check', () => {
    expect(skips.length).toBeGreaterThan(50);
    for (const s of skips) {
      expect({ ...s, idOk: /^CKV2?_AWS_\d+$/.test(s.id), reasonOk: s.comment.length >= 40 }).toEqual({
        ...s,
        idOk: true,
        reasonOk: true,
      });
    }
    // And checkov reads each one, with its reason.
    const read = report.results.skipped_checks.filter((r) => under(outdir, r));
    expect(read.map((r) => r.check_result.suppress_comment).filter((c) => !c || c === 'No comment provided')).toEqual(
      [],
    );
    expect(read).toHaveLength(skips.length);
  });

  test('every skip silences a finding that would otherwise be reported (none is stale)', () => {
    const found = new Set(
      report.results.failed_checks
        .filter((r) => under(rawDir, r))
        .map((r) => `${path.basename(r.file_abs_path)} ${r.check_id} ${r.resource}`),
    );
    const stale = skips.filter((s) => !found.has(`${s.template} ${s.id} ${s.type}.${s.logicalId}`));
    expect(stale).toEqual([]);
    expect(found.size).toBe(skips.length);
  });

  test('a resource with a known violation is reported, and the same resource skipped through skipCheckov is not', () => {
    const canaryResults = (file: string, list: CheckResult[]) =>
      list.filter((r) => path.resolve(r.file_abs_path) === file).map((r) => [r.check_id, r.resource]);
    expect(canaryResults(canary, report.results.failed_checks)).toContainEqual([
      'CKV_AWS_26',
      expect.stringMatching(/^AWS::SNS::Topic\.Topic/),
    ]);
    expect(canaryResults(skippedCanary, report.results.failed_checks)).toEqual([]);
    expect(
      report.results.skipped_checks
        .filter((r) => path.resolve(r.file_abs_path) === skippedCanary)
        .map((r) => [r.check_id, r.check_result.suppress_comment]),
    ).toEqual([['CKV_AWS_26', 'Canary: a reason written through skipCheckov, read by checkov.']]);
  });
});

test('the test command installs checkov, pinned with hashes (so the suite above cannot be skipped in CI)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  expect(pkg.scripts.test).toBe('bash scripts/test.sh');
  expect(fs.readFileSync(path.join(ROOT, 'scripts/test.sh'), 'utf8')).toMatch(
    /^bash scripts\/setup-test-tools\.sh &$/m,
  );
  expect(fs.readFileSync(path.join(ROOT, 'requirements-test.txt'), 'utf8')).toMatch(
    /^checkov==3\.\d+\.\d+ \\\n {4}--hash=sha256:[0-9a-f]{64}/m,
  );
  expect(fs.existsSync(CHECKOV)).toBe(true);
});
