import type { Deployment } from '../../contract/deployment';
import { readinessReportSchema } from '../../contract/readiness-report';
import type { TimelineEvent } from '../timeline';
import { causeMessage, type DrillState } from './state';

/**
 * The drill's report: measured RTO and RPO against the targets (config) and the budgets (the
 * posture report's computed worst cases), pass or fail, and the UTC timeline. Its Markdown follows
 * the postmortem template (docs/postmortems/template.md): the same field table, impact rows and
 * timeline table, so a drill or an incident is written up from it directly.
 *
 * A drill passes when every step completed: the readiness reply was accepted, the site's name
 * served the live release from the standby within the RTO target, the marker arrived within the
 * RPO target, and after the failback the site's name served the live release from the primary
 * again within the RTO target (the same validations and deadline as the failover). A measurement above its budget (but within the target) does not fail the drill: the
 * target is the promise; it is flagged, since the budget was supposed to be the worst case.
 */
export interface Measure {
  readonly targetSeconds: number;
  readonly budgetSeconds: number;
  /** Null when the drill stopped before measuring it. */
  readonly measuredSeconds: number | null;
  readonly withinTarget: boolean | null;
  readonly withinBudget: boolean | null;
}

export interface DrillReport {
  readonly drillId: string;
  readonly passed: boolean;
  readonly app: string;
  readonly regions: { readonly primary: string; readonly standby: string };
  readonly startedAt: string;
  readonly endedAt: string;
  readonly rto: Measure;
  /** Resolution: the RPO is observed by polling, so it is an upper bound at most one poll above. */
  readonly rpo: Measure & { readonly pollSeconds: number };
  /**
   * Time to fail back: the failback's switch write to the first poll of the site's name served by
   * the primary with the live release and Route 53 healthy. Target and budget are the RTO's: the
   * way back goes through the same health checks, DNS and TTL.
   */
  readonly failbackTime: Measure;
  readonly readiness: { readonly ready: boolean | null; readonly failing: readonly string[] };
  readonly failure: { readonly error: string; readonly message: string } | null;
  readonly failback: { readonly status: string; readonly message: string } | null;
  readonly findings: readonly string[];
  readonly timeline: readonly TimelineEvent[];
  /** Where the report was written (set when published). */
  readonly location?: { readonly bucket: string; readonly json: string; readonly markdown: string };
}

function measure(target: number, budget: number, measured: number | undefined): Measure {
  const m = measured ?? null;
  return {
    targetSeconds: target,
    budgetSeconds: budget,
    measuredSeconds: m,
    withinTarget: m === null ? null : m <= target,
    withinBudget: m === null ? null : m <= budget,
  };
}

export function buildReport(state: DrillState, deployment: Deployment, endedAt: Date): DrillReport {
  const rto = measure(state.targets.rtoSeconds, state.budgets.rtoSeconds, state.recovery?.rtoSeconds);
  const rpo = measure(state.targets.rpoSeconds, state.budgets.rpoSeconds, state.replication?.rpoSeconds);
  const failbackTime = measure(state.targets.rtoSeconds, state.budgets.rtoSeconds, state.primary?.seconds);
  // The reply as stored: a refused one may not parse (the failure then says why).
  const readiness = readinessReportSchema.safeParse(state.readiness);
  const reply = readiness.success ? readiness.data : undefined;
  const failbackOk = state.failback?.status === 'done' || state.failback?.status === 'already';
  const passed =
    state.failure === undefined &&
    state.failbackError === undefined &&
    reply?.ready === true &&
    rto.withinTarget === true &&
    rpo.withinTarget === true &&
    failbackOk &&
    failbackTime.withinTarget === true;
  const findings: string[] = [];
  if (rto.withinBudget === false) {
    findings.push(
      `measured RTO ${rto.measuredSeconds} s is above the computed budget ${rto.budgetSeconds} s: the budget underestimates a term (drctl posture lists them)`,
    );
  }
  if (rpo.withinBudget === false) {
    findings.push(`achieved RPO ${rpo.measuredSeconds} s is above the computed budget ${rpo.budgetSeconds} s`);
  }
  if (failbackTime.withinBudget === false) {
    findings.push(
      `measured time to fail back ${failbackTime.measuredSeconds} s is above the computed RTO budget ${failbackTime.budgetSeconds} s`,
    );
  }
  if (state.failback?.status === 'unvalidated') {
    findings.push(
      "the site may still be served from the standby: the failback was written but the site's name did not serve the live release from the primary in time; follow docs/runbooks/drill.md#a-drill-failed",
    );
  } else if (state.failback && !failbackOk && state.failback.status !== 'not-needed') {
    findings.push(
      `traffic may still be on the standby: failback ${state.failback.status}; follow docs/runbooks/drill.md#a-drill-failed`,
    );
  }
  return {
    drillId: state.drillId,
    passed,
    app: deployment.appName,
    regions: { ...deployment.regions },
    startedAt: state.startedAt,
    endedAt: endedAt.toISOString(),
    rto,
    rpo: { ...rpo, pollSeconds: state.pollSeconds },
    failbackTime,
    readiness: {
      ready: reply?.ready ?? null,
      failing: (reply?.checks ?? []).filter((c) => !c.ok).map((c) => `${c.check}: ${c.summary}`),
    },
    failure: state.failure ? { error: state.failure.Error, message: causeMessage(state.failure) } : null,
    failback: state.failback ?? null,
    findings,
    timeline: state.timeline,
  };
}

function utc(iso: string): string {
  return iso
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '')
    .replace(/Z$/, '');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function shown(m: Measure): string {
  if (m.measuredSeconds === null) return 'not measured';
  return `${m.measuredSeconds} s (${m.withinTarget ? 'within' : 'over'} target, ${m.withinBudget ? 'within' : 'over'} budget)`;
}

function duration(from: string, to: string): string {
  const s = Math.round((Date.parse(to) - Date.parse(from)) / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

function detailText(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  const rest = Object.entries(detail).filter(([k]) => k !== 'step');
  if (rest.length === 0) return '';
  // Values in code spans: a bare URL or host name would become a link (GFM autolinks).
  return ` (${rest.map(([k, v]) => `${k}: \`${typeof v === 'string' ? v : JSON.stringify(v)}\``).join(', ')})`;
}

/** A Markdown table with its columns padded as prettier pads them, so a committed report stays as written. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The report as Markdown, in the postmortem template's shape. */
export function renderMarkdown(report: DrillReport, label?: string): string {
  const lines: string[] = [];
  const date = report.startedAt.slice(0, 10);
  lines.push(`# ${date}: game-day drill ${report.drillId}: ${report.passed ? 'PASSED' : 'FAILED'}`, '');
  if (label) lines.push(`> ${label}`, '');
  lines.push(
    ...table(
      ['field', 'value'],
      [
        ['status', report.passed ? 'passed' : 'failed'],
        ['severity', `none (planned drill)${report.passed ? '' : '; a failed drill pages at high urgency'}`],
        [
          'incident window (UTC)',
          `${utc(report.startedAt)} to ${utc(report.endedAt)}, ${duration(report.startedAt, report.endedAt)}`,
        ],
        ['app, regions', `${report.app}: primary ${report.regions.primary}, standby ${report.regions.standby}`],
        ['evidence', report.location ? `s3://${report.location.bucket}/${report.location.json}` : 'this report'],
        ['runbooks used', '[drill](../runbooks/drill.md)'],
      ],
    ),
    '',
    '## Impact',
    '',
    ...table(
      ['dimension', 'value', 'source'],
      [
        [
          'RTO: target, budget, achieved',
          `${report.rto.targetSeconds} s, ${report.rto.budgetSeconds} s, ${shown(report.rto)}`,
          "failover switch write to the first poll of the site's name served by the standby with the live release and Route 53 healthy",
        ],
        [
          'RPO: target, budget, achieved',
          `${report.rpo.targetSeconds} s, ${report.rpo.budgetSeconds} s, ${shown(report.rpo)}`,
          `marker write in the primary to the first poll that found it in the standby (upper bound, polled every ${report.rpo.pollSeconds} s)`,
        ],
        [
          'failback',
          report.failback ? `${report.failback.status}: \`${cell(report.failback.message)}\`` : 'not reached',
          'switch alarm',
        ],
        [
          'time to fail back: target, budget, achieved',
          `${report.failbackTime.targetSeconds} s, ${report.failbackTime.budgetSeconds} s, ${shown(report.failbackTime)}`,
          "failback switch write to the first poll of the site's name served by the primary with the live release and Route 53 healthy",
        ],
      ],
    ),
    '',
  );
  if (report.failure || report.readiness.failing.length > 0 || report.findings.length > 0) {
    lines.push('## Contributing factors', '');
    let n = 1;
    if (report.failure) lines.push(`${n++}. ${report.failure.error}: \`${cell(report.failure.message)}\``);
    for (const f of report.readiness.failing) lines.push(`${n++}. readiness \`${cell(f)}\``);
    for (const f of report.findings) lines.push(`${n++}. \`${cell(f)}\``);
    lines.push('');
  }
  lines.push(
    '## Timeline (UTC)',
    '',
    ...table(
      ['time (UTC)', 'event', 'source'],
      report.timeline.map((e) => {
        const step = typeof e.detail?.step === 'string' ? e.detail.step : 'drill';
        return [utc(e.at), cell(e.event + detailText(e.detail)), `drill step ${step}`];
      }),
    ),
  );
  lines.push('');
  return lines.join('\n');
}
