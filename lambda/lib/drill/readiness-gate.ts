import { READINESS_CHECKS, type ReadinessReport } from '../../contract/assurance';
import type { Deployment } from '../../contract/deployment';
import { describeIssue } from '../../contract/issues';
import {
  READINESS_MAX_AGE_SECONDS,
  READINESS_MAX_SKEW_SECONDS,
  readinessReportSchema,
} from '../../contract/readiness-report';
import { DrillStepError } from './state';

/**
 * The drill's gate before it moves traffic: the readiness reply must parse against the contract
 * (readinessReportSchema), be about this app's standby, be recent, carry every check of
 * READINESS_CHECKS exactly once, and every check must have passed. `ready: true` alone is not
 * enough: a reply that lost a check, a stale one, or one about another deployment would let the
 * drill fail over towards a standby nobody checked.
 */

/** The name of the error the gate throws; the drill's abort fails nothing back for it. */
export const READINESS_REFUSED = 'ReadinessRefused';

function refuse(message: string): never {
  const err = new DrillStepError(message);
  err.name = READINESS_REFUSED;
  throw err;
}

/**
 * Every reason the reply is unacceptable at `now`, in the order a reader would fix them: a reply
 * that does not parse lists its bad fields and nothing else (its other claims cannot be trusted).
 */
export function readinessProblems(
  reply: unknown,
  expected: { readonly deployment: Deployment; readonly now: Date },
): { report?: ReadinessReport; problems: string[] } {
  const parsed = readinessReportSchema.safeParse(reply);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `malformed reply: ${describeIssue(reply, issue)}`) };
  }
  const report = parsed.data;
  const problems: string[] = [];
  const d = expected.deployment;
  if (report.app !== d.appName) problems.push(`the reply is about app "${report.app}", not "${d.appName}"`);
  if (report.region !== d.regions.standby) {
    problems.push(`the reply is about region ${report.region}, not the standby ${d.regions.standby}`);
  }
  const age = Math.round((expected.now.getTime() - Date.parse(report.checkedAt)) / 1000);
  if (age > READINESS_MAX_AGE_SECONDS) {
    problems.push(
      `the reply is ${age} s old (checkedAt ${report.checkedAt}): the drill accepts at most ${READINESS_MAX_AGE_SECONDS} s`,
    );
  } else if (-age > READINESS_MAX_SKEW_SECONDS) {
    problems.push(
      `the reply's checkedAt ${report.checkedAt} is ${-age} s ahead of the drill's clock: at most ${READINESS_MAX_SKEW_SECONDS} s of skew is accepted`,
    );
  }
  const seen = report.checks.map((c) => c.check);
  const missing = READINESS_CHECKS.filter((name) => !seen.includes(name));
  if (missing.length > 0) problems.push(`the reply lacks the checks ${missing.join(', ')}`);
  const repeated = READINESS_CHECKS.filter((name) => seen.filter((s) => s === name).length > 1);
  if (repeated.length > 0) problems.push(`the reply repeats the checks ${repeated.join(', ')}`);
  for (const c of report.checks.filter((c) => !c.ok)) problems.push(`check ${c.check} failed: ${c.summary}`);
  if (!report.ready && problems.length === 0) problems.push('the reply says ready: false with every check passed');
  if (report.ready && report.checks.some((c) => !c.ok)) {
    problems.push('the reply says ready: true although a check failed');
  }
  return { report, problems };
}

/** The accepted report, or a ReadinessRefused error listing every problem. */
export function acceptReadiness(
  reply: unknown,
  expected: { readonly deployment: Deployment; readonly now: Date },
): ReadinessReport {
  const { report, problems } = readinessProblems(reply, expected);
  if (report && problems.length === 0) return report;
  return refuse(`readiness refused, the drill moved no traffic: ${problems.join('; ')}`);
}
