/**
 * Starts and stops a moto server on 127.0.0.1: for the jest integration tests (test/support/integration-setup.ts)
 * and for the restore benchmark. The test command installs moto into .venv (scripts/setup-test-tools.sh).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const MOTO_SERVER = path.join(ROOT, '.venv', 'bin', 'moto_server');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Moto {
  readonly url: string;
  readonly pid: number;
  readonly version: string;
  /** SIGTERM, then SIGKILL if it has not exited within 3 s (a moto holding gigabytes takes long to tear down). */
  stop(): Promise<void>;
  /** SIGKILL at once, for exit paths that cannot wait. */
  kill(): void;
  /** moto's own peak RSS so far (VmHWM), KiB; undefined where /proc is not available. */
  peakRssKiB(): number | undefined;
}

async function waitUntilUp(url: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before answering`);
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto server did not answer at ${url} within 30 s`);
}

function motoVersion(): string {
  const dir = path.join(ROOT, '.venv', 'lib');
  for (const py of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const site = path.join(dir, py, 'site-packages');
    const info = fs.existsSync(site) ? fs.readdirSync(site).find((d) => /^moto-.*\.dist-info$/.test(d)) : undefined;
    if (info) return info.replace(/^moto-/, '').replace(/\.dist-info$/, '');
  }
  return 'unknown';
}

/** moto on 127.0.0.1, a free port; its request log goes to `logFile`. Stop it by pid with `stop()`. */
export async function startMoto(logFile: string): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = fs.openSync(logFile, 'w');
  if (!fs.existsSync(MOTO_SERVER)) {
    throw new Error(`${MOTO_SERVER} is missing: run "bash scripts/setup-test-tools.sh" (npm test does it for you)`);
  }
  const child = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', log, log],
    // S3's default page size, stated rather than assumed (moto's default is the same, 1,000).
    env: { ...process.env, MOTO_S3_DEFAULT_MAX_KEYS: '1000' },
  });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${MOTO_SERVER}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  const kill = () => signal('SIGKILL');
  const stop = async () => {
    signal('SIGTERM');
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 3000).unref());
    if ((await Promise.race([exited, timer])) === 'late') {
      kill();
      await exited;
    }
  };
  try {
    await waitUntilUp(url, child, Date.now() + 30000);
  } catch (err) {
    kill();
    throw err;
  }
  const peakRssKiB = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  };
  return { url, pid, version: motoVersion(), stop, kill, peakRssKiB };
}
