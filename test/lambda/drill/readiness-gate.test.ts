import type { z } from 'zod';
import { READINESS_CHECKS, type ReadinessReport } from '../../../lambda/contract/assurance';
import { readinessReportSchema } from '../../../lambda/contract/readiness-report';
import { acceptReadiness, readinessProblems } from '../../../lambda/lib/drill/readiness-gate';
import { runReadiness } from '../../../lambda/lib/readiness/runner';
import { deployment } from '../../support/deployment';
import { NOW, readyWorld } from '../readiness/fixtures';

// The schema and the interface the readiness runner returns are one type (a compile-time check).
type Parsed = z.infer<typeof readinessReportSchema>;
const toReport = (p: Parsed): ReadinessReport => p;
const toParsed = (r: ReadinessReport): Parsed => r;

const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);
const reply = (overrides: Record<string, unknown> = {}) => ({
  ready: true,
  checkedAt: NOW.toISOString(),
  app: 'portfolio',
  region: 'us-west-2',
  checks: READINESS_CHECKS.map((check) => ({ check, ok: true, summary: 'fine', details: {} })),
  ...overrides,
});
const refusal = (value: unknown, now = at(30)) => {
  try {
    acceptReadiness(value, { deployment, now });
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  throw new Error('accepted');
};

describe("the drill's readiness gate", () => {
  test('accepts what the readiness runner really returns for a ready deployment, a minute later', async () => {
    const world = readyWorld();
    const report = await runReadiness(world.deps);
    expect(acceptReadiness(report, { deployment, now: at(60) })).toEqual(toReport(toParsed(report)));
  });

  test('a malformed reply is refused, naming every bad field with its value', () => {
    const malformed = reply({
      ready: 'yes',
      checkedAt: 'yesterday',
      app: undefined,
      checks: [{ check: 'health-check', ok: 1, summary: 'fine', details: {} }],
    });
    expect(refusal(malformed)).toEqual({
      name: 'ReadinessRefused',
      message:
        'readiness refused, the drill moved no traffic: malformed reply: ready: got "yes", expected true or false; malformed reply: checkedAt: got "yesterday", expected an ISO-8601 UTC instant such as 2026-11-28T09:59:30.000Z; malformed reply: app: missing, expected a string; malformed reply: checks.0.check: got "health-check", expected one of health-checks, traffic-switch, replication-drift, live-release, certificates, recovery-point, hosting-settings; malformed reply: checks.0.ok: got 1, expected true or false',
    });
  });

  test.each([
    ['nothing', null, 'malformed reply: (root): got null, expected an object'],
    ['a Lambda error object', { errorType: 'Error', errorMessage: 'boom' }, 'malformed reply: ready: missing'],
  ])('a reply that is %s is refused', (_name, value, start) => {
    expect(refusal(value).message).toContain(`readiness refused, the drill moved no traffic: ${start}`);
  });

  test('one failed check is named with its summary, even when the reply says ready', () => {
    const checks = reply().checks.map((c) =>
      c.check === 'certificates' ? { ...c, ok: false, summary: 'us-west-2 certificate expires in 9 days' } : c,
    );
    expect(refusal(reply({ checks })).message).toBe(
      'readiness refused, the drill moved no traffic: check certificates failed: us-west-2 certificate expires in 9 days; the reply says ready: true although a check failed',
    );
    expect(refusal(reply({ checks, ready: false })).message).toBe(
      'readiness refused, the drill moved no traffic: check certificates failed: us-west-2 certificate expires in 9 days',
    );
  });

  test('a reply that lacks checks, or repeats one, is refused naming them', () => {
    const [first, ...rest] = reply().checks;
    expect(refusal(reply({ checks: [first] })).message).toBe(
      'readiness refused, the drill moved no traffic: the reply lacks the checks traffic-switch, replication-drift, live-release, certificates, recovery-point, hosting-settings',
    );
    expect(refusal(reply({ checks: [first, first, ...rest, rest[0]] })).message).toBe(
      'readiness refused, the drill moved no traffic: the reply repeats the checks health-checks, traffic-switch',
    );
  });

  test.each([
    [300, []],
    [301, ['the reply is 301 s old (checkedAt 2026-11-30T06:00:00.000Z): the drill accepts at most 300 s']],
    [-60, []],
    [
      -61,
      [
        "the reply's checkedAt 2026-11-30T06:00:00.000Z is 61 s ahead of the drill's clock: at most 60 s of skew is accepted",
      ],
    ],
  ])('checked %i s before the drill reads it: %j', (age, problems) => {
    expect(readinessProblems(reply(), { deployment, now: at(age) }).problems).toEqual(problems);
  });

  test('a reply about another app or region is refused', () => {
    expect(refusal(reply({ app: 'blog', region: 'us-east-1' })).message).toBe(
      'readiness refused, the drill moved no traffic: the reply is about app "blog", not "portfolio"; the reply is about region us-east-1, not the standby us-west-2',
    );
  });

  test('ready: false with every check passed is refused: the two disagree', () => {
    expect(refusal(reply({ ready: false })).message).toBe(
      'readiness refused, the drill moved no traffic: the reply says ready: false with every check passed',
    );
  });
});
