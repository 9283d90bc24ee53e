// Jest global setup of the integration project (jest.config.js). At the same time it
// - starts moto server on 127.0.0.1 (MOTO_ENDPOINT), and
// - synthesizes the default app once, in a child process, into a temporary cdk.out
//   (PORTFOLIO_DR_SHARED_CDK_OUT) that the suites reading templates share (test/support/app.ts).
// Workers start after this returns and inherit the variables. The teardown, which runs in this same
// process, stops moto by pid and removes the directory; the handles are passed through globalThis.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Moto, startMoto } from '../../tools/test-support/moto-server';
import { ROOT, SHARED_CDK_OUT_ENV } from './config';

export interface IntegrationHandles {
  moto?: Moto;
  cdkOut?: string;
}

/** Run test/support/synth-default-app.ts in a child process; reject with its output if it fails. */
function synthesizeInChild(outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'synth-default-app.ts'), outdir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`the shared synthesis of the default app failed (exit ${code ?? signal}):\n${output}`)),
    );
  });
}

export default async function integrationSetup(): Promise<void> {
  const handles: IntegrationHandles = {};
  (globalThis as { __INTEGRATION__?: IntegrationHandles }).__INTEGRATION__ = handles;
  handles.cdkOut = fs.mkdtempSync(path.join(os.tmpdir(), 'portfolio-dr-cdkout-'));
  const [moto, synth] = await Promise.allSettled([
    startMoto(path.join(os.tmpdir(), `portfolio-dr-moto-${process.pid}.log`)),
    synthesizeInChild(handles.cdkOut),
  ]);
  if (moto.status === 'fulfilled') handles.moto = moto.value;
  // Jest does not run the teardown when the setup throws: clean up here.
  const failed = [moto, synth].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await handles.moto?.stop();
    fs.rmSync(handles.cdkOut, { recursive: true, force: true });
    throw failed.reason;
  }
  process.env[SHARED_CDK_OUT_ENV] = handles.cdkOut;
  process.env.MOTO_ENDPOINT = handles.moto!.url;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}
