// Jest global teardown: stops the moto server started by moto-global-setup.ts, by pid.
import type { Moto } from '../../tools/test-support/moto-server';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __MOTO__?: Moto }).__MOTO__?.stop();
}
