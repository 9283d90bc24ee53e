import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { nextSecond } from '../../tools/test-support/s3-fixtures';
import { type Moto, MOTO_SERVER, ROOT, startMoto } from '../../tools/test-support/moto-server';
import { type CountingProxy, startCountingProxy } from './counting-proxy';
import {
  body,
  createVersionedBucket,
  deleteChosen,
  deletedAfterInstant,
  keyName,
  putVersion,
  verifyCurrentState,
} from './fixture';
import { type MemoryS3, startMemoryS3 } from './memory-s3';
import { ensurePeer, peerIdleRssKiB, running as peerProcesses, runPeer } from './peer';
import {
  type Calibration,
  calibrate,
  CALIBRATION_KEYS,
  describeEstimate,
  type Estimate,
  estimate,
} from './restore-estimate';
import type { RestoreBenchOptions } from './restore-options';
import { fmt, mib, type PeerOutcome, type RestoreBenchSummary, secs, type ToolFigures } from './restore-output';
import type { WorkerReport } from './restore-worker';

/** The run of the restore benchmark: the backend and worker processes, populate, restore, verify. */

export const progress = (line: string) => process.stderr.write(`${line}\n`);
const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

// Every process the run starts, so that an exit or a signal stops them all.
const children = new Set<ChildProcess>();
let moto: Moto | undefined;
let memory: MemoryS3 | undefined;
let proxy: CountingProxy | undefined;
let workDir: string | undefined;

/** What is left when the run ends: the proxy to close, moto to stop, the work directory. */
export function running() {
  return { proxy, moto, workDir };
}

export function cleanUp(): void {
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
/** Stops moto and the workers when the process exits or is interrupted. */
export function stopChildrenOnExit(): void {
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      progress(`\n${signal}: stopping moto and the workers`);
      cleanUp();
      process.exit(1);
    });
  }
}

const WORKER = path.join(__dirname, 'restore-worker.ts');
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

/**
 * Runs the benchmark as `options` say: start the backend, populate, restore with ours (and the
 * peer), verify. Returns the summary, or an exit code when the run stopped early (--estimate, or an
 * estimate over --max-minutes), having printed why.
 */
export async function runRestoreBenchmark(options: RestoreBenchOptions): Promise<RestoreBenchSummary | number> {
  const KEYS = options.keys;
  const CONCURRENCY = options.concurrency;
  const IN_FLIGHT = options.inFlight;
  const SAMPLE = options.sample;
  const MAX_MINUTES = options.maxMinutes;
  const JSON_OUT = options.json;
  const WITH_PEER = options.peer;
  const ESTIMATE_ONLY = options.estimateOnly;
  const FORCE = options.force;
  const BACKEND = options.backend;
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
    const calibration = await calibrate(s3, IN_FLIGHT);
    estimated = { calibration, estimate: estimate(calibration, KEYS, buckets) };
    for (const line of describeEstimate(calibration, estimated.estimate, { keys: KEYS, buckets, inFlight: IN_FLIGHT }))
      progress(line);
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
  const summary: RestoreBenchSummary = {
    benchmark: 'bench:restore',
    passed,
    keys: KEYS,
    versionsPerKey: 3,
    deleteMarkers: deleted,
    instant: instant.toISOString(),
    backend,
    backendPeakRssKiB: moto?.peakRssKiB(),
    machine: { cpus: os.cpus().length, node: process.version },
    populate: {
      buckets: targets.length,
      seconds: populateSeconds,
      phases,
      putObject: puts,
      deleteObjects: deleteCalls,
      inFlight: IN_FLIGHT,
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
  return summary;
}
