import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProgram } from '../../../cli/main';
import { checkDocs, type Finding, formatFinding, type RuleId } from '../../../tools/docs-check/check';
import { type DeploymentFacts, deploymentFacts } from '../../../tools/docs-check/facts';
import { loadAssembly } from '../../../lib/posture/assembly';
import { ROOT, sharedCdkOut } from '../../support/app';
import { defaultConfig } from '../../support/config';
import type { DrConfig } from '../../../lib/config';

// The docs are checked against this run's synthesis of the app, not a cdk.out that may be stale.
let facts: DeploymentFacts;
let config: DrConfig;
beforeAll(() => {
  facts = deploymentFacts(loadAssembly(sharedCdkOut()), buildProgram());
  config = defaultConfig();
});

const check = (root: string, f: DeploymentFacts = facts) => checkDocs({ root, facts: f, appName: 'portfolio', config });

test('the facts come from the synthesized app and the CLI', () => {
  expect([...facts.stacks.keys()].sort()).toEqual([
    'portfolio-data-primary',
    'portfolio-data-standby',
    'portfolio-drill',
    'portfolio-global-dns',
    'portfolio-hosting-primary',
    'portfolio-hosting-standby',
    'portfolio-paging-us-east-1',
    'portfolio-paging-us-west-2',
    'portfolio-readiness',
    'portfolio-recovery-primary',
    'portfolio-recovery-standby',
  ]);
  expect([...facts.alarms.keys()].sort()).toEqual([
    'portfolio-certificate-expiring-primary',
    'portfolio-certificate-expiring-standby',
    'portfolio-drill-failed',
    'portfolio-primary-unhealthy',
    'portfolio-readiness-certificates',
    'portfolio-readiness-health-checks',
    'portfolio-readiness-hosting-settings',
    'portfolio-readiness-live-release',
    'portfolio-readiness-recovery-point',
    'portfolio-readiness-replication-drift',
    'portfolio-readiness-traffic-switch',
    'portfolio-release-watch-failed-primary',
    'portfolio-release-watch-failed-standby',
    'portfolio-replication-failed',
    'portfolio-replication-latency-over-rpo',
    'portfolio-replication-latency-over-rtc',
    'portfolio-replication-stalled',
    'portfolio-serving-from-standby',
    'portfolio-standby-unhealthy',
    'portfolio-traffic-switch',
  ]);
  expect(facts.outputs.get('portfolio-recovery-standby')).toContain('FailoverFunctionName');
  expect(facts.handlers).toContain('index.failover');
  expect(facts.cliCommands.get('restore')).toContain('--to');
  expect(facts.names).toContain('/portfolio/live-release');
});

test('the repository docs pass the docs check', () => {
  expect(check(ROOT).map(formatFinding)).toEqual([]);
});

describe('a deliberately broken copy of the docs fails the check', () => {
  // A real copy of the docs; everything else they link to (lib/, scripts/, config/) by symlink. It
  // is made once, and after each case every file the case changed, added or removed is put back
  // (restoreDocs), so each case starts from the repository's docs and the check reads a real tree.
  let copy: string;
  let pristine: ReadonlyMap<string, Buffer>;
  beforeAll(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-check-'));
    fs.cpSync(path.join(ROOT, 'docs'), path.join(copy, 'docs'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'README.md'), path.join(copy, 'README.md'));
    for (const entry of fs.readdirSync(ROOT)) {
      if (!['docs', 'README.md', 'node_modules', '.git'].includes(entry)) {
        fs.symlinkSync(path.join(ROOT, entry), path.join(copy, entry));
      }
    }
    pristine = docsTree(copy);
  });
  afterEach(() => restoreDocs(copy, pristine));
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  // The runbook the cases break: any runbook shows each rule, and each case parses the one it broke
  // again (check.ts keeps the others' parses), so a short one (9 kB; failover.md is 35 kB) keeps the
  // cases fast. Its clock is 15 minutes, and it has every mandatory section.
  const RUNBOOK = 'docs/runbooks/traffic-flood.md';
  const edit = (file: string, change: (text: string) => string) => {
    const p = path.join(copy, file);
    fs.writeFileSync(p, change(fs.readFileSync(p, 'utf8')));
  };
  const append = (file: string, text: string) => edit(file, (t) => `${t}\n${text}\n`);
  const bash = (...lines: string[]) => ['```bash', ...lines, '```'].join('\n');
  const dropSection = (heading: string) => (t: string) =>
    t.replace(new RegExp(`^## ${heading}[^\\n]*\\n[\\s\\S]*?(?=^## )`, 'm'), '');

  const expectFinding = (findings: Finding[], file: string, rule: RuleId, message: string | RegExp) => {
    const hit = findings.find(
      (f) =>
        f.path === file &&
        f.rule === rule &&
        (typeof message === 'string' ? f.message.includes(message) : message.test(f.message)),
    );
    if (!hit)
      throw new Error(
        `no ${rule} finding in ${file} matching ${message}; got:\n${findings.map(formatFinding).join('\n')}`,
      );
  };

  test('the unbroken copy passes', () => {
    expect(check(copy)).toEqual([]);
  });

  test.each<[string, (file: string) => void, RuleId, string | RegExp]>([
    [
      'a runbook whose clock differs from the scenario clock table',
      (f) => edit(f, (t) => t.replace('**Page to mitigated:** 15 min', '**Page to mitigated:** 10 min')),
      'scenario-clock',
      'states a page-to-mitigated target of 10 min, but the clock table in docs/incident-response.md gives 15 min',
    ],
    [
      'a missing section',
      (f) => edit(f, dropSection('Validation')),
      'runbook-sections',
      'missing the mandatory section "Validation"',
    ],
    [
      'an empty section',
      (f) => edit(f, (t) => t.replace(/(^## Purpose\n)[\s\S]*?(?=^## )/m, '$1\n')),
      'runbook-sections',
      'section "Purpose" is empty',
    ],
    [
      'sections out of order',
      (f) => edit(f, (t) => t.replace(/^## Scope/m, '## Notes') + '\n## Scope\n\nLate.\n'),
      'runbook-sections',
      'section "Scope" is out of order: it must come before "Prerequisites and access"',
    ],
    [
      'a validation without a command',
      (f) => edit(f, (t) => t.replace(/(^## Validation\n)[\s\S]*?(?=^## )/m, '$1\nLook at the site.\n\n')),
      'runbook-sections',
      'has no command to run',
    ],
    [
      'a code block without a language',
      (f) => append(f, '```\nls\n```'),
      'code-language',
      'code block has no language',
    ],
    ['a shell prompt', (f) => append(f, bash('$ npx drctl posture')), 'shell-prompt', 'command has a shell prompt'],
    [
      'an unmarked placeholder',
      (f) => append(f, 'Set the bucket to TODO.'),
      'placeholder',
      'unmarked placeholder "TODO"',
    ],
    [
      'an unquoted placeholder',
      (f) => append(f, bash('npx drctl posture --cdk-out <dir>')),
      'placeholder',
      'outside quotes',
    ],
    [
      'an AWS command without a region',
      (f) => append(f, bash('aws cloudwatch describe-alarms --profile dr-operator')),
      'explicit-environment',
      'aws cloudwatch describe-alarms does not name its region',
    ],
    [
      'an AWS command without a profile',
      (f) => append(f, bash('aws cloudwatch describe-alarms --region us-east-1')),
      'explicit-environment',
      'does not name its credentials',
    ],
    [
      'a region the app does not use',
      (f) => append(f, bash('aws s3api list-buckets --region eu-west-1 --profile dr-operator')),
      'explicit-environment',
      'eu-west-1, which is not a region of this app',
    ],
    [
      'a stack looked up in the wrong region',
      (f) =>
        append(
          f,
          bash(
            'aws cloudformation describe-stacks --region us-west-2 --profile dr-operator --stack-name portfolio-data-primary',
          ),
        ),
      'explicit-environment',
      'it is deployed in us-east-1',
    ],
    [
      "a stack looked up in the wrong region, through the config's region variable",
      (f) =>
        append(
          f,
          bash(
            'aws cloudformation describe-stacks --region "$STANDBY_REGION" --profile dr-operator --stack-name portfolio-data-primary',
          ),
        ),
      'explicit-environment',
      'looks for portfolio-data-primary in us-west-2, but it is deployed in us-east-1',
    ],
    [
      "a stack whose name is built from the config's region variable, looked up in the wrong region",
      (f) =>
        append(
          f,
          bash(
            'aws cloudformation describe-stacks --region "$PRIMARY_REGION" --profile dr-operator --stack-name "portfolio-paging-$STANDBY_REGION"',
          ),
        ),
      'explicit-environment',
      'looks for portfolio-paging-us-west-2 in us-east-1, but it is deployed in us-west-2',
    ],
    [
      "a stack name built from the config's region variable that the app does not synthesize",
      (f) =>
        append(
          f,
          bash(
            'aws cloudformation describe-stacks --region "$PRIMARY_REGION" --profile dr-operator --stack-name "portfolio-pager-${PRIMARY_REGION}"',
          ),
        ),
      'unknown-name',
      'names the stack portfolio-pager-us-east-1, which the app does not synthesize',
    ],
    [
      'a stack that does not exist',
      (f) =>
        append(
          f,
          bash(
            'aws cloudformation describe-stacks --region us-east-1 --profile dr-operator --stack-name portfolio-recovery-secondary',
          ),
        ),
      'unknown-name',
      'portfolio-recovery-secondary',
    ],
    [
      'a stack output that does not exist',
      (f) =>
        append(
          f,
          bash(
            `aws cloudformation describe-stacks --region us-west-2 --profile dr-operator --stack-name portfolio-recovery-standby --query "Stacks[0].Outputs[?OutputKey=='FailoverFunctionArn'].OutputValue"`,
          ),
        ),
      'unknown-name',
      'the output FailoverFunctionArn',
    ],
    [
      'an alarm that does not exist',
      (f) =>
        append(
          f,
          bash(
            'aws cloudwatch describe-alarms --region us-east-1 --profile dr-operator --alarm-names portfolio-primary-down',
          ),
        ),
      'unknown-name',
      'the alarm portfolio-primary-down',
    ],
    [
      'an alarm looked up in the wrong region',
      (f) =>
        append(
          f,
          bash(
            'aws cloudwatch describe-alarms --region us-east-1 --profile dr-operator --alarm-names portfolio-traffic-switch',
          ),
        ),
      'explicit-environment',
      'it lives in us-west-2',
    ],
    [
      'a pasted function name',
      (f) =>
        append(
          f,
          bash(
            'aws lambda invoke --region us-west-2 --profile dr-operator --function-name portfolio-failover out.json',
          ),
        ),
      'resolve-ids',
      '--function-name portfolio-failover',
    ],
    [
      'a pasted account id',
      (f) =>
        append(f, bash('aws sts get-caller-identity --region us-east-1 --profile dr-operator | grep 123456789012')),
      'resolve-ids',
      '12-digit account id',
    ],
    [
      'a drctl command that does not exist',
      (f) => append(f, bash('npx drctl promote --config config/default.json --profile dr-operator')),
      'cli-command',
      'drctl has no command "promote"',
    ],
    [
      'a drctl option that does not exist',
      (f) => append(f, bash('npx drctl failover --config config/default.json --profile dr-operator --force')),
      'cli-command',
      'drctl failover has no option --force',
    ],
    [
      'a drctl command without its deployment',
      (f) => append(f, bash('npx drctl status --profile dr-operator')),
      'explicit-environment',
      'drctl status does not name its deployment',
    ],
    [
      'a drctl command without a region',
      (f) => append(f, bash('npx drctl restore --profile dr-operator --bucket "$BUCKET" --to 2026-11-28T10:00:00Z')),
      'explicit-environment',
      'drctl restore does not name its region',
    ],
    [
      'a cdk deploy without a profile',
      (f) => append(f, bash('npx cdk deploy portfolio-data-standby')),
      'explicit-environment',
      'cdk deploy does not name its credentials',
    ],
    [
      'a cdk deploy of a stack that does not exist',
      (f) => append(f, bash('npx cdk deploy --profile dr-operator portfolio-data-backup')),
      'unknown-name',
      'portfolio-data-backup',
    ],
    [
      'a resource name in prose that does not exist',
      (f) => append(f, 'Watch `portfolio-primary-down`.'),
      'unknown-name',
      '"portfolio-primary-down" is not a stack, alarm or resource name',
    ],
    [
      'an SSM parameter that does not exist',
      (f) => append(f, 'Read `/portfolio/release`.'),
      'unknown-name',
      'not an SSM parameter',
    ],
    [
      'a stack output in prose that does not exist',
      (f) => append(f, 'Read the `PrimaryHealthCheckArn` output.'),
      'unknown-name',
      '"PrimaryHealthCheckArn" is not a stack output',
    ],
    [
      'a Lambda handler that does not exist',
      (f) => append(f, 'It runs `index.failsafe`.'),
      'unknown-name',
      'not a Lambda handler',
    ],
    [
      'a drctl command in prose that does not exist',
      (f) => append(f, 'Then run `drctl promote`.'),
      'cli-command',
      'drctl has no command "promote"',
    ],
    [
      'a drctl option in prose that does not exist',
      (f) => append(f, 'Then run `drctl failback --force`.'),
      'cli-command',
      'drctl failback has no option --force',
    ],
    [
      'the placeholder domain in a command',
      (f) => append(f, bash('curl -s --max-time 10 https://www.example.com/healthz')),
      'config-literal',
      `a command repeats the config's domainName "www.example.com": read it from the config (jq -r .domainName config/default.json)`,
    ],
    [
      'the search string in a command',
      (f) => append(f, bash('curl -s "https://$DOMAIN/healthz" | grep -q portfolio-ok')),
      'config-literal',
      `a command repeats the config's healthCheck.searchString "portfolio-ok"`,
    ],
    [
      'a broken link',
      (f) => append(f, 'See [the game day](game-day.md).'),
      'broken-link',
      'docs/runbooks/game-day.md does not exist',
    ],
    [
      'a link to a heading that does not exist',
      (f) => append(f, 'See [validation](failback.md#checks).'),
      'broken-link',
      'has no heading #checks',
    ],
  ])('%s', (_name, breakIt, rule, message) => {
    breakIt(RUNBOOK);
    expectFinding(check(copy), RUNBOOK, rule, message);
  });

  test('a runbook missing from the index', () => {
    fs.copyFileSync(path.join(copy, RUNBOOK), path.join(copy, 'docs/runbooks/game-day.md'));
    expectFinding(
      check(copy),
      'docs/runbooks/README.md',
      'runbook-index',
      'does not link the runbook docs/runbooks/game-day.md',
    );
  });

  test('an alarm whose runbook was deleted', () => {
    fs.rmSync(path.join(copy, 'docs/runbooks/replication-drift.md'));
    expectFinding(
      check(copy),
      'portfolio-data-primary',
      'alarm-runbook',
      'links to docs/runbooks/replication-drift.md, which does not exist',
    );
  });

  test('an alarm left out of the observability doc', () => {
    edit('docs/observability.md', (t) => t.replaceAll('portfolio-replication-failed', 'the failed-replication alarm'));
    expectFinding(check(copy), 'docs/observability.md', 'alarm-documented', 'portfolio-replication-failed');
  });

  test('an alarm with no name and no runbook link', () => {
    const unnamed = {
      stack: 'portfolio-global-dns',
      logicalId: 'LatencyAlarm',
      region: 'us-east-1',
      description: 'Slow.',
    };
    const findings = check(copy, { ...facts, allAlarms: [...facts.allAlarms, unnamed] });
    expectFinding(
      findings,
      'portfolio-global-dns',
      'alarm-runbook',
      'alarm LatencyAlarm (portfolio-global-dns) has no "Runbook:',
    );
    expectFinding(findings, 'portfolio-global-dns', 'alarm-documented', 'has no fixed AlarmName');
  });

  test('an alarm whose full runbook link (paging.docsBaseUrl) names a runbook that does not exist; one that exists passes', () => {
    const linked = (logicalId: string, runbook: string) => ({
      stack: 'portfolio-global-dns',
      logicalId,
      name: `portfolio-${logicalId.toLowerCase()}-link`,
      region: 'us-east-1',
      description: `Down. Runbook: https://github.com/acme/dr/blob/main/docs/runbooks/${runbook}.md`,
    });
    const findings = check(copy, {
      ...facts,
      allAlarms: [...facts.allAlarms, linked('Good', 'failover'), linked('Bad', 'no-such')],
    });
    expectFinding(
      findings,
      'portfolio-global-dns',
      'alarm-runbook',
      'links to docs/runbooks/no-such.md, which does not exist',
    );
    expect(findings.filter((f) => f.rule === 'alarm-runbook' && f.message.includes('portfolio-good-link'))).toEqual([]);
  });

  test("after a case the copy is the repository's docs again, and passes", () => {
    edit(RUNBOOK, (t) => t.replace('## Validation', '## Checks'));
    fs.copyFileSync(path.join(copy, RUNBOOK), path.join(copy, 'docs/runbooks/game-day.md'));
    fs.rmSync(path.join(copy, 'docs/runbooks/replication-drift.md'));
    fs.writeFileSync(path.join(copy, 'README.md'), '# Nothing\n');
    expect(check(copy).length).toBeGreaterThan(0);
    expect(restoreDocs(copy, pristine)).toEqual(
      ['README.md', RUNBOOK, 'docs/runbooks/game-day.md', 'docs/runbooks/replication-drift.md'].sort(),
    );
    // Compared by path and bytes (Buffer.equals): expect's deep equality walks a Buffer byte by byte.
    const repo = docsTree(ROOT);
    const restored = docsTree(copy);
    expect([...restored.keys()].sort()).toEqual([...repo.keys()].sort());
    expect([...repo].filter(([rel, bytes]) => !restored.get(rel)!.equals(bytes)).map(([rel]) => rel)).toEqual([]);
    expect(restoreDocs(copy, pristine)).toEqual([]);
    expect(check(copy)).toEqual([]);
  });
});

/** Every file under `<root>/docs` and the README, by path relative to the root, with its bytes. */
function docsTree(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const read = (rel: string) => files.set(rel, fs.readFileSync(path.join(root, rel)));
  if (fs.existsSync(path.join(root, 'README.md'))) read('README.md');
  if (!fs.existsSync(path.join(root, 'docs'))) return files;
  for (const entry of fs.readdirSync(path.join(root, 'docs'), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) read(path.relative(root, path.join(entry.parentPath, entry.name)));
    else if (!entry.isDirectory())
      throw new Error(`unexpected ${path.join(entry.parentPath, entry.name)} in the docs copy`);
  }
  return files;
}

/**
 * Put the docs under `root` back to `pristine` (docsTree's view): remove each added file, rewrite
 * each changed or removed one. Returns the paths it touched.
 */
function restoreDocs(root: string, pristine: ReadonlyMap<string, Buffer>): string[] {
  const current = docsTree(root);
  const touched: string[] = [];
  for (const rel of current.keys()) {
    if (!pristine.has(rel)) {
      fs.rmSync(path.join(root, rel));
      touched.push(rel);
    }
  }
  for (const [rel, bytes] of pristine) {
    if (!current.get(rel)?.equals(bytes)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), bytes);
      touched.push(rel);
    }
  }
  return touched.sort();
}
