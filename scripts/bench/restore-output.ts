import type { Verification } from './fixture';
import type { PeerRun } from './peer';
import type { WorkerReport } from './restore-worker';
import type { WireCounts } from './counting-proxy';
import type { Calibration, Estimate } from './restore-estimate';

/** How the restore benchmark reports: the figures of each tool, and the table people read. */

export const fmt = (n: number) => n.toLocaleString('en-US');
export const secs = (s: number) => `${s.toFixed(1)} s`;
export const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

export interface ToolFigures {
  readonly name: string;
  readonly mode: string;
  readonly inFlight: string;
  readonly wallSeconds: number;
  readonly wire: WireCounts;
  readonly maxRssKiB: number;
  readonly idleRssKiB: number;
  readonly verification: Verification;
}

export interface PeerOutcome {
  readonly ran: boolean;
  readonly reason?: string;
  readonly versions?: Record<string, string>;
  readonly figures?: ToolFigures;
  readonly run?: PeerRun;
}

/** Everything one run measured; `--json` prints it as is. */
export interface RestoreBenchSummary {
  readonly benchmark: 'bench:restore';
  readonly passed: boolean;
  readonly keys: number;
  readonly versionsPerKey: number;
  readonly deleteMarkers: number;
  readonly instant: string;
  readonly backend: string;
  /** moto's own peak RSS (it grows with every ListObjectVersions call on a large bucket). */
  readonly backendPeakRssKiB?: number;
  readonly machine: { cpus: number; node: string };
  readonly populate: {
    buckets: number;
    seconds: number;
    phases: Record<string, number>;
    putObject: number;
    deleteObjects: number;
    inFlight: number;
    /** Over the write phases only (seconds also holds the wait for a second boundary). */
    requestsPerSecond: number;
    seededInMemory: boolean;
  };
  readonly estimate?: { calibration: Calibration; estimate: Estimate };
  readonly ours: ToolFigures & {
    restore: NonNullable<WorkerReport['restore']>;
    restoreSecondsInProcess: number;
    memory: { restore: WorkerReport; idle: WorkerReport };
  };
  readonly peer: PeerOutcome;
  readonly ratios?: { wallSeconds: number; apiCalls: number; peakRss: number };
  readonly totalSeconds: number;
}

/** The side-by-side table people read (the default output). */
export function renderTable(s: RestoreBenchSummary): string {
  const ours = s.ours;
  const theirs = s.peer.ran ? s.peer.figures : undefined;
  const out: string[] = [];
  out.push(
    `bench:restore: ${fmt(s.keys)} keys x 3 versions, delete markers on ${fmt(s.deleteMarkers)} keys after the instant; ` +
      `${s.backend}; ${s.machine.cpus} CPUs; node ${s.machine.node}`,
  );
  out.push(
    s.populate.seededInMemory
      ? `populate (not measured below): ${s.populate.buckets} bucket(s) seeded in memory in ${secs(s.populate.seconds)}`
      : `populate (not measured below): ${s.populate.buckets} bucket(s), ${fmt(s.populate.putObject)} PutObject + ` +
          `${fmt(s.populate.deleteObjects)} DeleteObjects in ${secs(s.populate.seconds)} ` +
          `(${s.populate.requestsPerSecond.toFixed(0)} requests/s, ${s.populate.inFlight} in flight)`,
  );
  out.push(`restore instant: ${s.instant} (v1, v2 before it; v3 and the delete markers after it)`);
  out.push('');
  const ops = [
    ...new Set([...Object.keys(ours.wire.operations), ...Object.keys(theirs?.wire.operations ?? {})]),
  ].sort();
  const rows: [string, string, string, string][] = [
    ['', `ours (${ours.name})`, theirs ? theirs.name : 's3-pit-restore', theirs ? 'theirs/ours' : ''],
    ['mode', ours.mode, theirs?.mode ?? '-', ''],
    ['requests in flight', ours.inFlight, theirs?.inFlight ?? '-', ''],
    [
      'wall time (process)',
      secs(ours.wallSeconds),
      theirs ? secs(theirs.wallSeconds) : '-',
      s.ratios ? `${s.ratios.wallSeconds.toFixed(2)}x` : '',
    ],
    [
      'API calls (on the wire)',
      fmt(ours.wire.total),
      theirs ? fmt(theirs.wire.total) : '-',
      s.ratios ? `${s.ratios.apiCalls.toFixed(2)}x` : '',
    ],
    ...ops.map((op): [string, string, string, string] => [
      `  ${op}`,
      fmt(ours.wire.operations[op] ?? 0),
      theirs ? fmt(theirs.wire.operations[op] ?? 0) : '-',
      '',
    ]),
    [
      '  responses',
      Object.entries(ours.wire.statuses)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', '),
      theirs
        ? Object.entries(theirs.wire.statuses)
            .map(([k, v]) => `${k} ${fmt(v)}`)
            .join(', ')
        : '-',
      '',
    ],
    [
      'peak RSS',
      mib(ours.maxRssKiB),
      theirs ? mib(theirs.maxRssKiB) : '-',
      s.ratios ? `${s.ratios.peakRss.toFixed(2)}x` : '',
    ],
    ['idle RSS (same imports)', mib(ours.idleRssKiB), theirs ? mib(theirs.idleRssKiB) : '-', ''],
    [
      'peak RSS - idle RSS',
      mib(ours.maxRssKiB - ours.idleRssKiB),
      theirs ? mib(theirs.maxRssKiB - theirs.idleRssKiB) : '-',
      '',
    ],
    ['verification', verdict(ours.verification), theirs ? verdict(theirs.verification) : '-', ''],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)) + 3);
  for (const r of rows) out.push(`${r[0].padEnd(widths[0])}${r[1].padEnd(widths[1])}${r[2].padEnd(widths[2])}${r[3]}`);
  out.push('');
  const r = ours.restore;
  const calls = Object.entries(r.calls)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');
  out.push(
    `ours, as the restore reports itself: status ${r.status}, ${secs(r.seconds)} inside restoreToInstant; ` +
      `${fmt(r.totals.entries)} entries, ${fmt(r.totals.keys)} keys, ${fmt(r.totals.copies)} copies, ` +
      `${fmt(r.totals.deletes)} deletes, ${fmt(r.totals.bytesCopied)} bytes copied; calls: ${calls}`,
  );
  const m = ours.memory;
  const heap = (w: WorkerReport) =>
    `peak V8 heap used ${mib(w.peakHeapUsedBytes / 1024)}, live heap (read after major GCs) peak ` +
    `${w.peakHeapAfterMajorGcBytes ? mib(w.peakHeapAfterMajorGcBytes / 1024) : '- (no major GC)'}, ` +
    `after a final full GC ${mib(w.heapAfterFinalGcBytes / 1024)}`;
  out.push(`ours, memory: restore worker: ${heap(m.restore)}; idle worker: ${heap(m.idle)}`);
  const reportedTotal = Object.values(r.calls).reduce((a, b) => a + b, 0);
  if (reportedTotal !== ours.wire.total) {
    out.push(`  note: the restore counted ${fmt(reportedTotal)} calls, the wire ${fmt(ours.wire.total)} (SDK retries)`);
  }
  for (const [name, v] of [
    ['ours', ours.verification],
    ['theirs', theirs?.verification],
  ] as const) {
    if (v && !v.passed) out.push(`  ${name} verification failures, e.g.: ${v.examples.join('; ')}`);
  }
  if (s.peer.run) {
    const p = s.peer.run;
    out.push(
      `s3-pit-restore: exit ${p.exitCode}, ${fmt(p.stdoutLines)} keys printed, ${fmt(p.stderrLines)} stderr lines ` +
        `(${fmt(p.errorLines)} errors); ran as: ${p.command}`,
    );
    if (p.stderrTail.length > 0) out.push(`  its last stderr lines: ${p.stderrTail.join(' | ')}`);
  }
  if (!s.peer.ran) out.push(`s3-pit-restore did not run: ${s.peer.reason}`);
  out.push(
    s.populate.seededInMemory
      ? 'Both restores ran against the same in-memory S3 stand-in, which counts requests; wall times include process ' +
          'start-up. The stand-in is not moto: use it for memory and call counts, the moto run for S3 behaviour.'
      : 'Both restores go through a counting proxy to the same moto; wall times include process start-up and are ' +
          "dominated by moto's ListObjectVersions, which deep-copies every version of the bucket on each call.",
  );
  if (s.backendPeakRssKiB) out.push(`moto's own peak RSS over the run: ${mib(s.backendPeakRssKiB)}`);
  out.push(`total run time ${secs(s.totalSeconds)}; ${s.passed ? 'PASSED' : 'FAILED'}`);
  return out.join('\n');
}

export function verdict(v: Verification): string {
  const head = v.passed ? 'passed' : 'FAILED';
  return (
    `${head} (${fmt(v.matching)}/${fmt(v.expected)} at v2` +
    (v.missing + v.wrong + v.unexpected > 0 ? ` (${v.missing} missing, ${v.wrong} wrong, ${v.unexpected} extra)` : '') +
    `, ${v.sampled - v.sampleMismatches}/${v.sampled} GETs)`
  );
}
