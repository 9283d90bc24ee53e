/**
 * `npm run bench:restore`: point-in-time restore of a versioned bucket on moto, measured.
 *
 * Builds a bucket of N keys with three versions each (v1, v2 before the restore instant; v3 and
 * delete markers on ~10% of the keys after it), restores it in place to the instant with
 * restoreToInstant in a child process, and reports wall time, API calls by operation (counted on the
 * wire by a pass-through proxy, and as the restore reports them), and the child's peak RSS against an
 * idle child's. Then verifies that every key is back at v2. Unless --no-peer, does the same with the
 * PyPI tool s3-pit-restore on an identical bucket (built in the same passes, same instant) and prints
 * both side by side.
 *
 *   npm run bench:restore -- [--keys N] [--json] [--no-peer] [--backend moto|memory] [--concurrency N]
 *                            [--in-flight N] [--sample N] [--estimate] [--max-minutes M] [--force]
 *
 * --keys N          keys per bucket (default 10,000)
 * --backend memory  instead of moto, an in-memory S3 stand-in (scripts/bench/memory-s3.ts) whose requests cost
 *                   O(page): for memory and call counts at sizes moto cannot reach (its ListObjectVersions
 *                   deep-copies the whole bucket on every call, so a full listing is quadratic: 100,000 keys
 *                   would take hours). The buckets are seeded in memory, not written through the API.
 * --concurrency N   requests in flight during a restore, both tools (default 16, restoreToInstant's default)
 * --in-flight N     PutObject calls in flight while populating (default 48)
 * --sample N        keys read back with GetObject when verifying (default 200)
 * --estimate        measure moto on a small bucket, print the extrapolated run time for --keys, and stop
 * --max-minutes M   above --keys 20,000 the run is estimated first and stops if it would exceed M (default 60)
 * --force           run whatever the estimate
 * --json            a machine-readable summary on stdout instead of the table (progress goes to stderr)
 *
 * Exit 0 when the benchmark ran and our restore verified; 1 otherwise.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { nextSecond } from '../tools/test-support/s3-fixtures';
import { type CountingProxy, startCountingProxy, type WireCounts } from './bench/counting-proxy';
import {
  body,
  createVersionedBucket,
  deleteChosen,
  deletedAfterInstant,
  keyName,
  putVersion,
  type Verification,
  verifyCurrentState,
} from './bench/fixture';
import { type MemoryS3, startMemoryS3 } from './bench/memory-s3';
import { type Moto, MOTO_SERVER, ROOT, startMoto } from '../tools/test-support/moto-server';
import { ensurePeer, peerIdleRssKiB, type PeerRun, running as peerProcesses, runPeer } from './bench/peer';
import type { WorkerReport } from './bench/restore-worker';

// ---------------------------------------------------------------------------------------------- options

function numberFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`${name}: got ${process.argv[i + 1]}, expected a positive whole number`);
    process.exit(2);
  }
  return v;
}

const known = new Set(['--keys', '--concurrency', '--in-flight', '--sample', '--max-minutes', '--backend']);
const switches = new Set(['--json', '--no-peer', '--estimate', '--force']);
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (known.has(a)) i++;
  else if (!switches.has(a)) {
    console.error(`unknown argument ${a}; see the header of scripts/bench-restore.ts`);
    process.exit(2);
  }
}
const KEYS = numberFlag('--keys', 10000);
const CONCURRENCY = numberFlag('--concurrency', 16);
const IN_FLIGHT = numberFlag('--in-flight', 48);
const SAMPLE = numberFlag('--sample', 200);
const MAX_MINUTES = numberFlag('--max-minutes', 60);
const JSON_OUT = process.argv.includes('--json');
const WITH_PEER = !process.argv.includes('--no-peer');
const ESTIMATE_ONLY = process.argv.includes('--estimate');
const FORCE = process.argv.includes('--force');
const backendArg = process.argv.indexOf('--backend');
const BACKEND = backendArg > 0 ? process.argv[backendArg + 1] : 'moto';
if (BACKEND !== 'moto' && BACKEND !== 'memory') {
  console.error(`--backend: got ${BACKEND}, expected moto or memory`);
  process.exit(2);
}

process.env.AWS_ACCESS_KEY_ID = 'bench';
process.env.AWS_SECRET_ACCESS_KEY = 'bench';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const progress = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');
const secs = (s: number) => `${s.toFixed(1)} s`;
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

// ------------------------------------------------------------------------------------------ processes

const children = new Set<ChildProcess>();
let moto: Moto | undefined;
let memory: MemoryS3 | undefined;
let proxy: CountingProxy | undefined;
let workDir: string | undefined;

function cleanUp(): void {
  // Our workers by pid; the peer's process groups (a wrapper and the tool) by their leader's pid.
  const targets = [
    ...[...children].map((c) => c.pid),
    ...[...peerProcesses].map((c) => (c.pid === undefined ? undefined : -c.pid)),
  ];
  for (const pid of targets) {
    if (pid === undefined) continue;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  moto?.kill();
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    progress(`\n${signal}: stopping moto and the workers`);
    cleanUp();
    process.exit(1);
  });
}

const WORKER = path.join(__dirname, 'bench', 'restore-worker.ts');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

async function runWorker(args: string[]): Promise<{ report: WorkerReport; wallSeconds: number }> {
  const started = process.hrtime.bigint();
  const child = spawn(TSX, [WORKER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  children.delete(child);
  const wallSeconds = elapsed(started);
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    throw new Error(`restore worker ${args.join(' ')} failed (exit ${code}):\n${stderr.trim() || stdout.trim()}`);
  }
  return { report: JSON.parse(last) as WorkerReport, wallSeconds };
}

// ------------------------------------------------------------------------------------------ estimate

interface Calibration {
  readonly putsPerSecond: number;
  /** Seconds for one ListObjectVersions page of 1,000 entries, as a function of the bucket's versions. */
  readonly pageSeconds: { readonly fixed: number; readonly perVersion: number };
  readonly points: [number, number][];
}

const CALIBRATION_KEYS = 4000;

async function calibrate(s3: S3Client): Promise<Calibration> {
  const bucket = `bench-calibrate-${Date.now().toString(36)}`;
  await createVersionedBucket(s3, bucket);
  const points: [number, number][] = [];
  let putSeconds = 0;
  for (let v = 1; v <= 3; v++) {
    const t = process.hrtime.bigint();
    await putVersion(s3, [bucket], CALIBRATION_KEYS, v, IN_FLIGHT);
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
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const slope =
    points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return {
    putsPerSecond: (CALIBRATION_KEYS * 3) / putSeconds,
    pageSeconds: { fixed: Math.max(0, my - slope * mx), perVersion: Math.max(0, slope) },
    points,
  };
}

interface Estimate {
  readonly populateSeconds: number;
  readonly listingSecondsPerRestore: number;
  readonly copySecondsPerRestore: number;
  readonly totalSeconds: number;
}

function estimate(c: Calibration, keys: number, buckets: number): Estimate {
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

function describeEstimate(c: Calibration, e: Estimate, buckets: number): string[] {
  const min = (s: number) => `${(s / 60).toFixed(1)} min`;
  return [
    `moto on this machine: ${c.putsPerSecond.toFixed(0)} PutObject/s (${IN_FLIGHT} in flight); one ListObjectVersions ` +
      `page costs ${c.pageSeconds.fixed.toFixed(3)} s + ${(c.pageSeconds.perVersion * 1e6).toFixed(1)} µs per version ` +
      `in the bucket (moto deep-copies the whole bucket on every call: a full listing is quadratic)`,
    `estimate for --keys ${fmt(KEYS)}, ${buckets} bucket(s): populate ${min(e.populateSeconds)}; per restore: listing ` +
      `${min(e.listingSecondsPerRestore)} + copies ${min(e.copySecondsPerRestore)}; total ~${min(e.totalSeconds)} ` +
      `(plus verification; likely low: the model leaves out moto's memory growth and other load on the machine)`,
  ];
}

// ------------------------------------------------------------------------------------------ the run

interface ToolFigures {
  readonly name: string;
  readonly mode: string;
  readonly inFlight: string;
  readonly wallSeconds: number;
  readonly wire: WireCounts;
  readonly maxRssKiB: number;
  readonly idleRssKiB: number;
  readonly verification: Verification;
}

interface PeerOutcome {
  readonly ran: boolean;
  readonly reason?: string;
  readonly versions?: Record<string, string>;
  readonly figures?: ToolFigures;
  readonly run?: PeerRun;
}

async function main(): Promise<number> {
  const runStarted = process.hrtime.bigint();
  if (BACKEND === 'moto' && !fs.existsSync(MOTO_SERVER)) {
    progress(`${MOTO_SERVER} is missing: running scripts/setup-test-tools.sh`);
    const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'setup-test-tools.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('scripts/setup-test-tools.sh failed');
  }
  const peerSetup = WITH_PEER ? ensurePeer(progress) : undefined;
  if (peerSetup && !peerSetup.ok) progress(`peer unavailable: ${peerSetup.reason}`);
  const buckets = peerSetup?.ok ? 2 : 1;

  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-restore-'));
  let endpoint: string;
  let backend: string;
  if (BACKEND === 'moto') {
    moto = await startMoto(path.join(workDir, 'moto.log'));
    progress(`moto ${moto.version} on ${moto.url} (pid ${moto.pid}); work files in ${workDir}`);
    proxy = await startCountingProxy(moto.url);
    endpoint = moto.url;
    backend = `moto ${moto.version} on 127.0.0.1`;
  } else {
    memory = await startMemoryS3();
    proxy = memory;
    endpoint = memory.url;
    backend = 'the in-memory S3 stand-in (scripts/bench/memory-s3.ts), NOT moto';
    progress(`in-memory S3 on ${memory.url}; work files in ${workDir}`);
  }
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 5,
    requestHandler: { httpAgent: { keepAlive: true, maxSockets: IN_FLIGHT } },
  });

  let estimated: { calibration: Calibration; estimate: Estimate } | undefined;
  if (BACKEND === 'moto' && (ESTIMATE_ONLY || KEYS > 20000)) {
    progress(`calibrating: ${fmt(CALIBRATION_KEYS)} keys x 3 versions on a scratch bucket (about a minute) ...`);
    const calibration = await calibrate(s3);
    estimated = { calibration, estimate: estimate(calibration, KEYS, buckets) };
    for (const line of describeEstimate(calibration, estimated.estimate, buckets)) progress(line);
    progress(`moto's peak RSS after calibrating: ${mib(moto?.peakRssKiB() ?? 0)}`);
    if (ESTIMATE_ONLY) {
      if (JSON_OUT) console.log(JSON.stringify({ keys: KEYS, buckets, ...estimated }, null, 2));
      return 0;
    }
    if (estimated.estimate.totalSeconds > MAX_MINUTES * 60 && !FORCE) {
      progress(
        `NOT RUN: --keys ${fmt(KEYS)} on moto would take ~${(estimated.estimate.totalSeconds / 60).toFixed(0)} min, ` +
          `over --max-minutes ${MAX_MINUTES}. The size is not cut: pass --force to run it anyway, or a smaller --keys; ` +
          '--backend memory measures the restore at this size in minutes (not on moto).',
      );
      if (JSON_OUT) console.log(JSON.stringify({ keys: KEYS, buckets, ran: false, ...estimated }, null, 2));
      return 1;
    }
  }

  // Populate: both buckets get the same keys, bodies and history in the same passes, so they share the instant.
  const stamp = Date.now().toString(36);
  const ours = `bench-ours-${stamp}`;
  const theirs = `bench-peer-${stamp}`;
  const targets = buckets === 2 ? [ours, theirs] : [ours];
  const populateStarted = process.hrtime.bigint();
  const phases: Record<string, number> = {};
  let puts = 0;
  let instant: Date;
  let deleted: number;
  let deleteCalls: number;
  if (memory) {
    // Seeded straight into the stand-in's memory, with LastModified one second apart: no waiting.
    const base = Math.floor(Date.now() / 1000) * 1000 - 60000;
    instant = new Date(base + 1999);
    const mem = memory;
    for (const b of targets) mem.createBucket(b);
    deleted = 0;
    for (let i = 0; i < KEYS; i++) {
      for (const b of targets) {
        for (const v of [1, 2, 3])
          mem.seed(b, keyName(i), new Date(base + (v === 3 ? 2000 : (v - 1) * 1000)), body(i, v));
        if (deletedAfterInstant(i)) mem.seed(b, keyName(i), new Date(base + 3000), undefined);
      }
      if (deletedAfterInstant(i)) deleted++;
    }
    deleteCalls = 0;
    phases.seed = elapsed(populateStarted);
  } else {
    for (const b of targets) await createVersionedBucket(s3, b);
    for (const v of [1, 2]) {
      const t = process.hrtime.bigint();
      puts += await putVersion(s3, targets, KEYS, v, IN_FLIGHT);
      phases[`v${v}`] = elapsed(t);
      progress(`populate: v${v} of ${fmt(KEYS)} keys in ${targets.length} bucket(s): ${secs(phases[`v${v}`])}`);
    }
    instant = await nextSecond();
    let t = process.hrtime.bigint();
    puts += await putVersion(s3, targets, KEYS, 3, IN_FLIGHT);
    phases.v3 = elapsed(t);
    t = process.hrtime.bigint();
    [deleted, deleteCalls] = await deleteChosen(s3, targets, KEYS, 4);
    phases.deleteMarkers = elapsed(t);
  }
  progress(`restore instant: ${instant.toISOString()}`);
  const populateSeconds = elapsed(populateStarted);
  progress(
    memory
      ? `populate: seeded ${fmt(KEYS)} keys x 3 versions + ${fmt(deleted)} delete markers into ${targets.length} bucket(s) in memory`
      : `populate: v3 ${secs(phases.v3)}, ${fmt(deleted)} delete markers per bucket ${secs(phases.deleteMarkers)}`,
  );

  // The buckets are as designed before either tool touches them: v3 current, or deleted.
  for (const b of targets) {
    const check = await verifyCurrentState(s3, b, KEYS, (i) => (deletedAfterInstant(i) ? undefined : 3), 20, 7);
    if (!check.passed) throw new Error(`fixture ${b} is not as built: ${check.examples.join('; ')}`);
  }
  progress('fixture checked: every key is at v3 or deleted, in every bucket');

  // Ours: idle baseline, then the restore, through the counting proxy.
  const idle = await runWorker(['--idle', '--endpoint', proxy.url]);
  progress(`ours: idle worker peak RSS ${mib(idle.report.maxRssKiB)}; restoring ${ours} ...`);
  proxy.reset();
  const run = await runWorker([
    '--endpoint',
    proxy.url,
    '--bucket',
    ours,
    '--instant',
    instant.toISOString(),
    '--concurrency',
    String(CONCURRENCY),
  ]);
  const oursWire = proxy.snapshot();
  const restore = run.report.restore!;
  progress(`ours: ${restore.status} in ${secs(run.wallSeconds)}; verifying ...`);
  const oursCheck = await verifyCurrentState(s3, ours, KEYS, () => 2, SAMPLE, 11);
  progress(`ours: verification ${oursCheck.passed ? 'passed' : 'FAILED'} (${secs(oursCheck.seconds)})`);
  const oursFigures: ToolFigures = {
    name: 'restoreToInstant',
    mode: 'in place',
    inFlight: `${CONCURRENCY} (concurrency)`,
    wallSeconds: run.wallSeconds,
    wire: oursWire,
    maxRssKiB: run.report.maxRssKiB,
    idleRssKiB: idle.report.maxRssKiB,
    verification: oursCheck,
  };

  // Theirs: the same on the twin bucket.
  let peer: PeerOutcome;
  if (!WITH_PEER) peer = { ran: false, reason: 'skipped (--no-peer)' };
  else if (!peerSetup?.ok) peer = { ran: false, reason: peerSetup?.reason, versions: peerSetup?.versions };
  else {
    const idleKiB = await peerIdleRssKiB(proxy.url, workDir);
    progress(`s3-pit-restore: idle peak RSS ${mib(idleKiB)}; restoring ${theirs} ...`);
    proxy.reset();
    const peerRun = await runPeer(proxy.url, theirs, instant, CONCURRENCY, workDir);
    const wire = proxy.snapshot();
    progress(`s3-pit-restore: exit ${peerRun.exitCode} in ${secs(peerRun.wallSeconds)}; verifying ...`);
    const check = await verifyCurrentState(s3, theirs, KEYS, () => 2, SAMPLE, 11);
    progress(`s3-pit-restore: verification ${check.passed ? 'passed' : 'FAILED'} (${secs(check.seconds)})`);
    const failedOutright = peerRun.exitCode !== 0 && wire.total === 0;
    peer = {
      ran: !failedOutright,
      reason: failedOutright
        ? `s3-pit-restore exited ${peerRun.exitCode} without a request: ${peerRun.stderrTail.join(' | ')}`
        : undefined,
      versions: peerSetup.versions,
      run: peerRun,
      figures: {
        name: `s3-pit-restore ${peerSetup.versions['s3-pit-restore'] ?? ''}`.trim(),
        mode: 'in place (-b B -B B)',
        inFlight: `${CONCURRENCY} (--max-workers)`,
        wallSeconds: peerRun.wallSeconds,
        wire,
        maxRssKiB: peerRun.maxRssKiB,
        idleRssKiB: idleKiB,
        verification: check,
      },
    };
  }

  const passed = restore.status === 'done' && restore.failures === 0 && oursCheck.passed;
  const summary = {
    benchmark: 'bench:restore',
    passed,
    keys: KEYS,
    versionsPerKey: 3,
    deleteMarkers: deleted,
    instant: instant.toISOString(),
    backend,
    /** moto's own peak RSS (it grows with every ListObjectVersions call on a large bucket). */
    backendPeakRssKiB: moto?.peakRssKiB(),
    machine: { cpus: os.cpus().length, node: process.version },
    populate: {
      buckets: targets.length,
      seconds: populateSeconds,
      phases,
      putObject: puts,
      deleteObjects: deleteCalls,
      inFlight: IN_FLIGHT,
      /** Over the write phases only (populateSeconds also holds the wait for a second boundary). */
      requestsPerSecond: memory ? 0 : (puts + deleteCalls) / (phases.v1 + phases.v2 + phases.v3 + phases.deleteMarkers),
      seededInMemory: memory !== undefined,
    },
    estimate: estimated,
    ours: {
      ...oursFigures,
      restore,
      restoreSecondsInProcess: restore.seconds,
      memory: { restore: run.report, idle: idle.report },
    },
    peer,
    ratios:
      peer.ran && peer.figures
        ? {
            wallSeconds: peer.figures.wallSeconds / oursFigures.wallSeconds,
            apiCalls: peer.figures.wire.total / oursFigures.wire.total,
            peakRss: peer.figures.maxRssKiB / oursFigures.maxRssKiB,
          }
        : undefined,
    totalSeconds: elapsed(runStarted),
  };
  if (JSON_OUT) console.log(JSON.stringify(summary, null, 2));
  else printTable(summary);
  return passed ? 0 : 1;
}

// ------------------------------------------------------------------------------------------ the table

function printTable(s: {
  passed: boolean;
  keys: number;
  deleteMarkers: number;
  instant: string;
  backend: string;
  backendPeakRssKiB?: number;
  machine: { cpus: number; node: string };
  populate: {
    buckets: number;
    seconds: number;
    putObject: number;
    deleteObjects: number;
    requestsPerSecond: number;
    seededInMemory: boolean;
  };
  ours: ToolFigures & {
    restore: NonNullable<WorkerReport['restore']>;
    memory: { restore: WorkerReport; idle: WorkerReport };
  };
  peer: PeerOutcome;
  ratios?: { wallSeconds: number; apiCalls: number; peakRss: number };
  totalSeconds: number;
}): void {
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
          `(${s.populate.requestsPerSecond.toFixed(0)} requests/s, ${IN_FLIGHT} in flight)`,
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
  console.log(out.join('\n'));
}

function verdict(v: Verification): string {
  const head = v.passed ? 'passed' : 'FAILED';
  return (
    `${head} (${fmt(v.matching)}/${fmt(v.expected)} at v2` +
    (v.missing + v.wrong + v.unexpected > 0 ? ` (${v.missing} missing, ${v.wrong} wrong, ${v.unexpected} extra)` : '') +
    `, ${v.sampled - v.sampleMismatches}/${v.sampled} GETs)`
  );
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    progress(`bench:restore failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await proxy?.close();
    await moto?.stop();
    cleanUp();
    if (workDir && process.exitCode === 0) fs.rmSync(workDir, { recursive: true, force: true });
    else if (workDir) progress(`work files (moto's request log, the peer's output) kept in ${workDir}`);
  });
