/**
 * Child process of `npm run bench:restore`: runs one restore (or, with `--idle`, nothing but the
 * same imports and client) so that its peak memory is the restore's alone. Prints one JSON line.
 *
 *   tsx scripts/bench/restore-worker.ts --endpoint URL --bucket B --instant ISO [--concurrency N]
 *   tsx scripts/bench/restore-worker.ts --idle
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { s3Client } from '../../lambda/lib/aws';
import { restoreToInstant } from '../../lambda/lib/restore/restore';

export interface WorkerReport {
  readonly mode: 'idle' | 'restore';
  /** Peak resident set size of this process over its life, KiB (getrusage ru_maxrss). */
  readonly maxRssKiB: number;
  /** Highest V8 heap use and RSS seen by a 20 ms sampler. */
  readonly peakHeapUsedBytes: number;
  readonly peakRssSampledBytes: number;
  readonly heapSizeLimitBytes: number;
  /**
   * Live heap, as opposed to the peaks above (which include garbage not yet collected): the highest
   * heap use read right after a major GC during the run, and the heap use after a forced full GC at the end.
   */
  readonly peakHeapAfterMajorGcBytes: number;
  readonly heapAfterFinalGcBytes: number;
  readonly restore?: {
    readonly status: string;
    readonly totals: Record<string, number>;
    readonly calls: Record<string, number>;
    readonly failures: number;
    readonly firstFailures: unknown[];
    /** Time inside restoreToInstant, measured here. */
    readonly seconds: number;
    /** The restore's own figure (result.seconds). */
    readonly reportedSeconds: number;
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  let peakHeapUsedBytes = 0;
  let peakRssSampledBytes = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeapUsedBytes = Math.max(peakHeapUsedBytes, m.heapUsed);
    peakRssSampledBytes = Math.max(peakRssSampledBytes, m.rss);
  };
  const sampler = setInterval(sample, 20);
  let peakHeapAfterMajorGcBytes = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        peakHeapAfterMajorGcBytes = Math.max(peakHeapAfterMajorGcBytes, process.memoryUsage().heapUsed);
      }
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const endpointUrl = arg('--endpoint');
  const s3 = s3Client({ endpointUrl, region: 'us-east-1' });
  let restore: WorkerReport['restore'];

  if (process.argv.includes('--idle')) {
    await new Promise((r) => setTimeout(r, 200));
  } else {
    const bucket = arg('--bucket');
    const instant = arg('--instant');
    const concurrency = Number(arg('--concurrency') ?? 16);
    if (!endpointUrl || !bucket || !instant) throw new Error('usage: --endpoint URL --bucket B --instant ISO');
    const started = process.hrtime.bigint();
    const result = await restoreToInstant({ bucket, instant: new Date(instant), apply: true }, { s3, concurrency });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    restore = {
      status: result.status,
      totals: { ...result.totals },
      calls: result.calls,
      failures: result.failures.length,
      firstFailures: result.failures.slice(0, 5),
      seconds,
      reportedSeconds: result.seconds,
    };
  }
  sample();
  clearInterval(sampler);
  gcObserver.disconnect();
  // A full GC on demand, without starting node with --expose-gc (which NODE_OPTIONS does not allow on node 20).
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  const heapAfterFinalGcBytes = process.memoryUsage().heapUsed;
  const report: WorkerReport = {
    mode: restore ? 'restore' : 'idle',
    maxRssKiB: process.resourceUsage().maxRSS,
    peakHeapUsedBytes,
    peakRssSampledBytes,
    heapSizeLimitBytes: v8.getHeapStatistics().heap_size_limit,
    peakHeapAfterMajorGcBytes,
    heapAfterFinalGcBytes,
    restore,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  s3.destroy();
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
