import { parseArgs } from 'node:util';

/** The command line of `npm run bench:restore`, parsed with node:util parseArgs. */
export interface RestoreBenchOptions {
  /** Keys per bucket. */
  readonly keys: number;
  /** Requests in flight during a restore, both tools (restoreToInstant's default). */
  readonly concurrency: number;
  /** PutObject calls in flight while populating. */
  readonly inFlight: number;
  /** Keys read back with GetObject when verifying. */
  readonly sample: number;
  /** Above 20,000 keys the run is estimated first and stops if it would exceed this. */
  readonly maxMinutes: number;
  readonly backend: 'moto' | 'memory';
  readonly json: boolean;
  readonly peer: boolean;
  readonly estimateOnly: boolean;
  readonly force: boolean;
  readonly help: boolean;
}

export const USAGE = `npm run bench:restore -- [options]

Point-in-time restore of a versioned bucket on moto, measured: builds a bucket of N keys with three
versions each (v1, v2 before the restore instant; v3 and delete markers on ~10% of the keys after
it), restores it in place with restoreToInstant in a child process, and reports wall time, API calls
by operation and peak RSS, then verifies that every key is back at v2. Unless --no-peer, does the
same with the PyPI tool s3-pit-restore on an identical bucket and prints both side by side.

  --keys N          keys per bucket (default 10,000)
  --backend B       moto (default) or memory: an in-memory S3 stand-in (scripts/bench/memory-s3.ts)
                    whose requests cost O(page), for memory and call counts at sizes moto cannot reach
                    (its ListObjectVersions deep-copies the whole bucket on every call)
  --concurrency N   requests in flight during a restore, both tools (default 16)
  --in-flight N     PutObject calls in flight while populating (default 48)
  --sample N        keys read back with GetObject when verifying (default 200)
  --estimate        measure moto on a small bucket, print the extrapolated run time for --keys, and stop
  --max-minutes M   above --keys 20,000 the run is estimated first and stops if it would exceed M (default 60)
  --force           run whatever the estimate
  --no-peer         skip s3-pit-restore
  --json            a machine-readable summary on stdout instead of the table (progress goes to stderr)
  --help            this text

Exit 0 when the benchmark ran and our restore verified; 1 otherwise; 2 on a bad command line.`;

/** The command line is wrong; the message names the option and the value. */
export class BenchOptionsError extends Error {}

const NUMBERS = {
  keys: 10000,
  concurrency: 16,
  'in-flight': 48,
  sample: 200,
  'max-minutes': 60,
} as const;

function positiveWhole(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(v) || v < 1) {
    throw new BenchOptionsError(`--${name}: got ${raw}, expected a positive whole number`);
  }
  return v;
}

/** Parses `argv` (without node and the script). Throws BenchOptionsError on a bad command line. */
export function parseRestoreBenchOptions(argv: readonly string[]): RestoreBenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        keys: { type: 'string' },
        concurrency: { type: 'string' },
        'in-flight': { type: 'string' },
        sample: { type: 'string' },
        'max-minutes': { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean' },
        'no-peer': { type: 'boolean' },
        estimate: { type: 'boolean' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new BenchOptionsError(`${(err as Error).message}; see --help`);
  }
  const number = (name: keyof typeof NUMBERS) => positiveWhole(name, values[name] as string | undefined, NUMBERS[name]);
  const backend = (values.backend as string | undefined) ?? 'moto';
  if (backend !== 'moto' && backend !== 'memory') {
    throw new BenchOptionsError(`--backend: got ${backend}, expected moto or memory`);
  }
  return {
    keys: number('keys'),
    concurrency: number('concurrency'),
    inFlight: number('in-flight'),
    sample: number('sample'),
    maxMinutes: number('max-minutes'),
    backend,
    json: values.json === true,
    peer: values['no-peer'] !== true,
    estimateOnly: values.estimate === true,
    force: values.force === true,
    help: values.help === true,
  };
}
