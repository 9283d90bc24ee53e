/**
 * The peer of the restore benchmark: the PyPI tool s3-pit-restore (version pinned in
 * requirements-bench.txt), in its own venv, .venv-bench/. Its in-place mode is `-b B -B B` (destination
 * bucket = source bucket, no destination prefix): it copies each key's version at the instant onto the
 * key and deletes keys created after it. It has no endpoint option; boto3 >= 1.28 reads
 * AWS_ENDPOINT_URL, which is how it is pointed at the emulator.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../../tools/test-support/moto-server';

export const VENV = path.join(ROOT, '.venv-bench');
const PYTHON = path.join(VENV, 'bin', 'python');
const TOOL = path.join(VENV, 'bin', 's3-pit-restore');
const REQUIREMENTS = path.join(ROOT, 'requirements-bench.txt');
/** The hashed setuptools that builds s3-pit-restore (published only as a source archive). */
const BUILD_REQUIREMENTS = path.join(ROOT, 'requirements-bench-build.txt');
const STAMP = path.join(VENV, '.requirements-bench.sha256');

/** Peer processes still running: each leads its own process group (a wrapper and the tool). */
export const running = new Set<ChildProcess>();

export interface PeerSetup {
  readonly ok: boolean;
  readonly reason?: string;
  /** name==version of the tool and of boto3, as installed. */
  readonly versions: Record<string, string>;
}

function installedVersions(): Record<string, string> {
  const out = spawnSync(
    PYTHON,
    [
      '-c',
      'import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in ["s3-pit-restore", "boto3", "botocore"]}))',
    ],
    { encoding: 'utf8' },
  );
  return out.status === 0 ? (JSON.parse(out.stdout) as Record<string, string>) : {};
}

/** Creates .venv-bench/ and installs requirements-bench.txt into it, unless already done for this file. */
export function ensurePeer(log: (line: string) => void): PeerSetup {
  const want = createHash('sha256')
    .update(fs.readFileSync(REQUIREMENTS))
    .update(fs.readFileSync(BUILD_REQUIREMENTS))
    .digest('hex');
  const fresh = fs.existsSync(TOOL) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === want;
  if (!fresh) {
    log('installing the peer tool (requirements-bench.txt) into .venv-bench/ ...');
    // Both locks are hashed (pip --require-hashes); the tool's source archive is built with the
    // setuptools of the first step (--no-build-isolation), not one pip would fetch unverified.
    const pip = path.join(VENV, 'bin', 'pip');
    const install = ['install', '--quiet', '--disable-pip-version-check', '--require-hashes'];
    const steps: [string, string[]][] = [
      ['python3', ['-m', 'venv', '--clear', VENV]],
      [pip, [...install, '--only-binary=:all:', '-r', BUILD_REQUIREMENTS]],
      [pip, [...install, '--no-build-isolation', '-r', REQUIREMENTS]],
    ];
    for (const [cmd, args] of steps) {
      const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT });
      if (r.status !== 0) {
        const why = (r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').slice(-3).join(' | ');
        return { ok: false, reason: `"${cmd} ${args.join(' ')}" failed (exit ${r.status}): ${why}`, versions: {} };
      }
    }
    fs.writeFileSync(STAMP, `${want}\n`);
  }
  const versions = installedVersions();
  const boto3 = versions.boto3?.split('.').map(Number) ?? [];
  if (!(boto3[0] > 1 || (boto3[0] === 1 && boto3[1] >= 28))) {
    return {
      ok: false,
      reason: `s3-pit-restore has no endpoint option and boto3 ${versions.boto3 ?? '?'} predates AWS_ENDPOINT_URL (1.28)`,
      versions,
    };
  }
  return { ok: true, versions };
}

/** Runs `argv` under a Python parent that reports the peak RSS of its children (getrusage RUSAGE_CHILDREN). */
const RUSAGE_WRAPPER = [
  'import json, resource, subprocess, sys',
  'rc = subprocess.call(sys.argv[2:])',
  'r = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'open(sys.argv[1], "w").write(json.dumps({"rc": rc, "maxRssKiB": r.ru_maxrss}))',
].join('\n');

export interface PeerRun {
  readonly exitCode: number;
  readonly wallSeconds: number;
  readonly maxRssKiB: number;
  /** Lines it printed on stdout (one per key restored) and on stderr (errors, warnings). */
  readonly stdoutLines: number;
  readonly stderrLines: number;
  readonly errorLines: number;
  readonly stderrTail: string[];
  readonly command: string;
}

function peerEnv(endpointUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

async function runWrapped(argv: string[], env: NodeJS.ProcessEnv, workDir: string, name: string) {
  const rusage = path.join(workDir, `${name}.rusage.json`);
  const stdoutFile = path.join(workDir, `${name}.stdout`);
  const stderrFile = path.join(workDir, `${name}.stderr`);
  const out = fs.openSync(stdoutFile, 'w');
  const err = fs.openSync(stderrFile, 'w');
  const started = process.hrtime.bigint();
  const child = spawn(PYTHON, ['-c', RUSAGE_WRAPPER, rusage, ...argv], {
    env,
    cwd: workDir,
    stdio: ['ignore', out, err],
    detached: true,
  });
  running.add(child);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
  }).finally(() => running.delete(child));
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.closeSync(out);
  fs.closeSync(err);
  const usage = fs.existsSync(rusage)
    ? (JSON.parse(fs.readFileSync(rusage, 'utf8')) as { rc: number; maxRssKiB: number })
    : { rc: code, maxRssKiB: 0 };
  const lines = (f: string) =>
    fs
      .readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
  return {
    exitCode: usage.rc,
    wallSeconds,
    maxRssKiB: usage.maxRssKiB,
    stdout: lines(stdoutFile),
    stderr: lines(stderrFile),
  };
}

/** Restores `bucket` in place to `instant` with s3-pit-restore, `workers` requests in flight. */
export async function runPeer(
  endpointUrl: string,
  bucket: string,
  instant: Date,
  workers: number,
  workDir: string,
): Promise<PeerRun> {
  const args = ['-b', bucket, '-B', bucket, '-t', instant.toISOString(), '--max-workers', String(workers)];
  const r = await runWrapped([PYTHON, TOOL, ...args], peerEnv(endpointUrl), workDir, 'peer');
  return {
    exitCode: r.exitCode,
    wallSeconds: r.wallSeconds,
    maxRssKiB: r.maxRssKiB,
    stdoutLines: r.stdout.length,
    stderrLines: r.stderr.length,
    errorLines: r.stderr.filter((l) => /ERROR|Traceback|Error:/.test(l)).length,
    stderrTail: r.stderr.slice(-5),
    command: `AWS_ENDPOINT_URL=${endpointUrl} s3-pit-restore ${args.join(' ')}`,
  };
}

/** Peak RSS of Python doing what s3-pit-restore does before its first request: imports, client, transfer manager. */
export async function peerIdleRssKiB(endpointUrl: string, workDir: string): Promise<number> {
  const script = [
    'import os, sys, time, signal, argparse, boto3, botocore, unittest, concurrent.futures, shutil, uuid',
    'import boto3.s3.transfer',
    'from dateutil.parser import parse',
    'from s3transfer.manager import TransferConfig',
    'client = boto3.client("s3")',
    'transfer = boto3.s3.transfer.S3Transfer(client)',
  ].join('\n');
  const r = await runWrapped([PYTHON, '-c', script], peerEnv(endpointUrl), workDir, 'peer-idle');
  if (r.exitCode !== 0) throw new Error(`peer idle baseline failed: ${r.stderr.slice(-3).join(' | ')}`);
  return r.maxRssKiB;
}
