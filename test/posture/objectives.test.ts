import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import { type DrConfig } from '../../lib/config';
import { loadAssembly, type StackView } from '../../lib/posture/assembly';
import { ObjectivesCheck } from '../../lib/posture/objectives-check';
import {
  assessObjectives,
  automaticFailover,
  backupCopyRpo,
  manualFailover,
  PostureError,
  replicationRpo,
  scheduleCadenceSeconds,
} from '../../lib/posture/objectives';
import { buildUnits, defaultConfig, sharedCdkOut } from '../support/app';

/**
 * The default app from the run's shared synthesis; another config synthesized here, the global
 * stack only (the failover budgets read its records and health checks), without the synth-time
 * checks, which look across units.
 */
function synthesized(config?: DrConfig): StackView[] {
  return loadAssembly(
    config ? buildUnits(['global'], config, { bundling: false, checks: false }).app.synth().directory : sharedCdkOut(),
  );
}

const stacks = synthesized();

describe('budgets computed from the synthesized templates', () => {
  test('automatic failover: threshold x (interval + HTTPS timeouts) + propagation + alias TTL', () => {
    const budget = automaticFailover(stacks);
    expect(budget.terms.map((t) => [t.label, t.seconds, t.formula])).toEqual([
      ['health check detects the failure', 108, '3 failures x (30 s interval + 6 s timeout)'],
      ['health status reaches Route 53 name servers', 60, '60 s allowance'],
      ['DNS TTL (alias to API Gateway)', 60, "60 s, the alias target's TTL"],
    ]);
    expect(budget.worstCaseSeconds).toBe(228);
    for (const term of budget.terms) expect(term.source).toMatch(/^https:\/\/(docs\.)?aws\.amazon\.com\//);
  });

  test('automatic failover follows the health-check config', () => {
    const fast = synthesized({
      ...defaultConfig(),
      healthCheck: { intervalSeconds: 10, failureThreshold: 1, searchString: 'ok' },
    });
    expect(automaticFailover(fast).worstCaseSeconds).toBe(1 * (10 + 6) + 60 + 60);
  });

  test('manual failover: switch alarm period and evaluation + propagation + alias TTL', () => {
    const budget = manualFailover(stacks);
    expect(budget.terms.map((t) => t.seconds)).toEqual([120, 60, 60]);
    expect(budget.terms[0].formula).toBe('1 x 60 s period + 60 s evaluation cadence');
    expect(budget.worstCaseSeconds).toBe(240);
  });

  test('RPO of a regional loss: the Replication Time Control threshold', () => {
    expect(replicationRpo(stacks).worstCaseSeconds).toBe(15 * 60);
  });

  test('RPO when both copies are lost: the cross-region backup copy cadence (daily)', () => {
    const budget = backupCopyRpo(stacks);
    expect(budget.worstCaseSeconds).toBe(86400);
    expect(budget.terms[0].formula).toMatch(/^cron\(0 5 \* \* \? \*\) in portfolio-data-(primary|standby)$/);
  });

  test.each([
    ['cron(0 5 * * ? *)', 86400],
    ['cron(15 * * * ? *)', 3600],
    ['cron(0 5 ? * SUN *)', 7 * 86400],
    ['rate(12 hours)', 43200],
    ['rate(1 day)', 86400],
  ])('cadence of %s is %i s', (expression, seconds) => {
    expect(scheduleCadenceSeconds(expression)).toBe(seconds);
  });

  test('an unreadable schedule is an error that quotes it', () => {
    expect(() => scheduleCadenceSeconds('cron(0 5 1,15 * ? *)')).toThrow(
      new PostureError('cannot compute the cadence of the backup schedule "cron(0 5 1,15 * ? *)"'),
    );
  });

  test('without a failover PRIMARY record the budgets cannot be computed', () => {
    const withoutGlobal = stacks.filter((s) => !s.stackName.endsWith('global-dns'));
    expect(() => automaticFailover(withoutGlobal)).toThrow('expected one failover PRIMARY record in the app, found 0');
  });
});

describe('objectives against budgets', () => {
  test('the default targets are met', () => {
    for (const a of assessObjectives(stacks, defaultConfig().objectives)) expect(a.exceeded).toEqual([]);
  });

  test('an RTO between the two failover budgets is exceeded by the slower one only', () => {
    const [rto] = assessObjectives(stacks, { rtoMinutes: 3.9, rpoMinutes: 30 });
    expect(rto.exceeded.map((b) => b.name)).toEqual(['manual failover (traffic switch)']);
  });

  test('an RTO equal to the worst case is met', () => {
    const [rto] = assessObjectives(stacks, { rtoMinutes: 4, rpoMinutes: 30 });
    expect(rto.exceeded).toEqual([]);
  });

  test('an RPO under 15 minutes cannot be met with RTC', () => {
    const [, rpo] = assessObjectives(stacks, { rtoMinutes: 15, rpoMinutes: 14 });
    expect(rpo.exceeded.map((b) => b.name)).toEqual(['regional loss (replication)']);
  });
});

describe('synth-time check', () => {
  test('an RTO and RPO of 1 minute fail synth, naming target, worst case and terms', () => {
    // The budgets read the data, hosting and global stacks; the recovery stacks are built too, for
    // the DR rule that wants the playbooks beside the traffic switch, so that no other rule than the
    // budget check fails this synth.
    const tight = buildUnits(
      ['data', 'hosting', 'global', 'recovery'],
      { ...defaultConfig(), objectives: { rtoMinutes: 1, rpoMinutes: 1 } },
      { bundling: false },
    );
    let message = '';
    try {
      tight.app.synth();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(
      'objectives.rtoMinutes is 1 min, but the worst-case automatic failover is 3.8 min = ' +
        'health check detects the failure 108 s [3 failures x (30 s interval + 6 s timeout)] + ' +
        'health status reaches Route 53 name servers 60 s [60 s allowance] + ' +
        "DNS TTL (alias to API Gateway) 60 s [60 s, the alias target's TTL]",
    );
    expect(message).toContain(
      'objectives.rtoMinutes is 1 min, but the worst-case manual failover (traffic switch) is 4 min',
    );
    expect(message).toContain(
      'objectives.rpoMinutes is 1 min, but the worst-case regional loss (replication) is 15 min = Replication Time Control threshold 900 s',
    );
    expect(message).toContain('Raise objectives.rtoMinutes to at least 4 min');
  });

  test('a met target passes silently', () => {
    // The check as synth runs it, on the default app's templates from the shared synthesis (whose
    // synth ran it too, with cdk-nag and the DR pack, and did not fail).
    const dir = sharedCdkOut();
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const stackTemplates = Object.values(manifest.artifacts as Record<string, any>)
      .filter((a) => a.type === 'aws:cloudformation:stack')
      .map((a) => ({
        templatePath: path.join(dir, a.properties.templateFile),
        region: a.environment.split('/').pop(),
      }));
    const context = {
      templatePaths: stackTemplates.map((s) => s.templatePath),
      stackTemplates,
    } as unknown as IPolicyValidationContext;
    expect(new ObjectivesCheck(defaultConfig().objectives).validate(context)).toEqual({
      success: true,
      violations: [],
    });
  });
});
