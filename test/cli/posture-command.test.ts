import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { drctl } from '../support/drctl';
import { OBJECTIVES_METADATA } from '../../lib/posture/assembly';
import { sharedCdkOut } from '../support/app';

const outdir = sharedCdkOut();

function tmpfile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'posture-')), name);
}

describe('drctl posture', () => {
  test('prints the summary and writes the Markdown report', async () => {
    const report = tmpfile('report.md');
    const { code, stdout } = await drctl('posture', '--cdk-out', outdir, '--output', report);
    expect(code).toBe(0);
    expect(stdout).toContain(
      '  us-east-1: portfolio-paging-us-east-1, portfolio-data-primary, portfolio-hosting-primary, portfolio-global-dns',
    );
    expect(stdout).toContain(
      '  us-west-2: portfolio-paging-us-west-2, portfolio-data-standby, portfolio-hosting-standby, portfolio-recovery-standby, portfolio-readiness, portfolio-drill',
    );
    expect(stdout).toContain('    RTO automatic failover: worst case 3.8 min, target 15 min -> met');
    expect(stdout).toContain('    RPO regional loss (replication): worst case 15 min, target 30 min -> met');
    expect(stdout).toContain(`report written to ${report}`);

    const md = fs.readFileSync(report, 'utf8');
    for (const heading of [
      '## Objectives',
      '## Failover path',
      '## us-east-1',
      '## us-west-2',
      '## Acknowledged nag findings',
      '## Not covered',
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    expect(md).toContain('| RTO | automatic failover | 3.8 min | 15 min | met |');
    expect(md).toMatch(
      /\| portfolio-hosting-standby \| `AwsSolutions-APIG3` \| SiteApiDeploymentStage\w+ \| A public static portfolio: AWS WAF/,
    );
    expect(md).toContain('- Registrar or hosted-zone loss');
  });

  test('--json prints the report as JSON', async () => {
    const { code, stdout } = await drctl('posture', '--cdk-out', outdir, '--output', tmpfile('r.md'), '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.objectives.map((o: any) => [o.objective, o.budget, o.worstCaseSeconds, o.met])).toEqual([
      ['RTO', 'automatic failover', 228, true],
      ['RTO', 'manual failover (traffic switch)', 240, true],
      ['RPO', 'regional loss (replication)', 900, true],
      ['RPO', 'both copies lost (cross-region backup copy)', 86400, null],
    ]);
    expect(report.failoverPath).toHaveLength(2);
    expect(report.acknowledgements.every((a: any) => a.reason.length > 40)).toBe(true);
  });

  test('an objective the templates cannot meet makes it exit 1 and says EXCEEDED', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-tight-'));
    fs.cpSync(outdir, copy, { recursive: true });
    const globalTemplate = path.join(copy, 'portfolio-global-dns.template.json');
    const template = JSON.parse(fs.readFileSync(globalTemplate, 'utf8'));
    template.Metadata[OBJECTIVES_METADATA] = { rtoMinutes: 1, rpoMinutes: 30 };
    fs.writeFileSync(globalTemplate, JSON.stringify(template));

    const { code, stdout } = await drctl('posture', '--cdk-out', copy);
    expect(code).toBe(1);
    expect(stdout).toContain('RTO automatic failover: worst case 3.8 min, target 1 min -> EXCEEDED');
    expect(fs.existsSync(path.join(copy, 'dr-posture.md'))).toBe(true);
  });

  test('a directory without a synthesized app is bad input: exit 2, nothing written', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
    const { code, stderr } = await drctl('posture', '--cdk-out', empty);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `drctl posture: --cdk-out "${empty}" holds no synthesized app (no manifest.json); run "npx cdk synth" first\n`,
    );
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  test('an unknown option is bad usage: exit 2', async () => {
    const { code, stderr } = await drctl('posture', '--cdk-outt', outdir);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--cdk-outt'");
  });
});

describe('the drctl executable', () => {
  test('runs through npx as the README says', () => {
    const { spawnSync } = jest.requireActual<typeof import('node:child_process')>('node:child_process');
    const result = spawnSync('npx', ['drctl', 'posture', '--cdk-out', outdir, '--output', tmpfile('r.md')], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^DR posture\n/);
  });
});
