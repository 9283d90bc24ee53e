import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { createVersionedBucket, putVersion } from './fixture';

/**
 * The run-time model of a restore benchmark on moto: calibrate on a small bucket, extrapolate to
 * the requested size, so that a run that would take hours is refused before it starts.
 */

export interface Calibration {
  readonly putsPerSecond: number;
  /** Seconds for one ListObjectVersions page of 1,000 entries, as a function of the bucket's versions. */
  readonly pageSeconds: { readonly fixed: number; readonly perVersion: number };
  readonly points: [number, number][];
}

export interface Estimate {
  readonly populateSeconds: number;
  readonly listingSecondsPerRestore: number;
  readonly copySecondsPerRestore: number;
  readonly totalSeconds: number;
}

export const CALIBRATION_KEYS = 4000;

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Least-squares line through the points: page seconds = fixed + perVersion x versions (both >= 0). */
export function fitPageCost(points: readonly [number, number][]): Calibration['pageSeconds'] {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const slope =
    points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return { fixed: Math.max(0, my - slope * mx), perVersion: Math.max(0, slope) };
}

/** Measures moto: PutObject throughput and the cost of a listing page as the bucket grows. */
export async function calibrate(s3: S3Client, inFlight: number): Promise<Calibration> {
  const bucket = `bench-calibrate-${Date.now().toString(36)}`;
  await createVersionedBucket(s3, bucket);
  const points: [number, number][] = [];
  let putSeconds = 0;
  for (let v = 1; v <= 3; v++) {
    const t = process.hrtime.bigint();
    await putVersion(s3, [bucket], CALIBRATION_KEYS, v, inFlight);
    putSeconds += elapsed(t);
    // The fastest of three: the machine may be busy with other work, which only ever adds time.
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t2 = process.hrtime.bigint();
      await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
      best = Math.min(best, elapsed(t2));
    }
    points.push([CALIBRATION_KEYS * v, best]);
  }
  return { putsPerSecond: (CALIBRATION_KEYS * 3) / putSeconds, pageSeconds: fitPageCost(points), points };
}

/** The run time for `keys` keys in `buckets` buckets (one per tool). Pure. */
export function estimate(c: Calibration, keys: number, buckets: number): Estimate {
  const deleteMarkers = keys / 10;
  const populateSeconds = (buckets * 3 * keys) / c.putsPerSecond;
  // The bucket grows from ~3.1N to ~4.1N versions while a restore copies; moto deep-copies every
  // version of the bucket on each ListObjectVersions call, so a page costs in proportion to that.
  const entries = 3 * keys + deleteMarkers;
  const pages = Math.ceil(entries / 1000);
  const listingSecondsPerRestore = pages * (c.pageSeconds.fixed + c.pageSeconds.perVersion * (entries + keys / 2));
  const copySecondsPerRestore = keys / c.putsPerSecond;
  const totalSeconds = populateSeconds + buckets * (listingSecondsPerRestore + copySecondsPerRestore);
  return { populateSeconds, listingSecondsPerRestore, copySecondsPerRestore, totalSeconds };
}

/** The calibration and the estimate, for people. */
export function describeEstimate(
  c: Calibration,
  e: Estimate,
  run: { keys: number; buckets: number; inFlight: number },
): string[] {
  const min = (s: number) => `${(s / 60).toFixed(1)} min`;
  return [
    `moto on this machine: ${c.putsPerSecond.toFixed(0)} PutObject/s (${run.inFlight} in flight); one ListObjectVersions ` +
      `page costs ${c.pageSeconds.fixed.toFixed(3)} s + ${(c.pageSeconds.perVersion * 1e6).toFixed(1)} µs per version ` +
      `in the bucket (moto deep-copies the whole bucket on every call: a full listing is quadratic)`,
    `estimate for --keys ${run.keys.toLocaleString('en-US')}, ${run.buckets} bucket(s): populate ${min(e.populateSeconds)}; per restore: listing ` +
      `${min(e.listingSecondsPerRestore)} + copies ${min(e.copySecondsPerRestore)}; total ~${min(e.totalSeconds)} ` +
      `(plus verification; likely low: the model leaves out moto's memory growth and other load on the machine)`,
  ];
}
