// Jest global setup: starts moto server on 127.0.0.1 for the integration tests. The teardown
// stops it by pid. Global setup and teardown run in the same process, so the handle is shared
// through globalThis.
import * as os from 'node:os';
import * as path from 'node:path';
import { type Moto, startMoto } from '../../tools/test-support/moto-server';

export default async function globalSetup(): Promise<void> {
  const moto = await startMoto(path.join(os.tmpdir(), `portfolio-dr-moto-${process.pid}.log`));
  (globalThis as { __MOTO__?: Moto }).__MOTO__ = moto;
  process.env.MOTO_ENDPOINT = moto.url;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}
