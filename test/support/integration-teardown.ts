// Jest global teardown of the integration project: stops the moto server started by
// integration-setup.ts, by pid, and removes the shared cdk.out.
import * as fs from 'node:fs';
import type { IntegrationHandles } from './integration-setup';

export default async function integrationTeardown(): Promise<void> {
  const handles = (globalThis as { __INTEGRATION__?: IntegrationHandles }).__INTEGRATION__;
  await handles?.moto?.stop();
  if (handles?.cdkOut) fs.rmSync(handles.cdkOut, { recursive: true, force: true });
}
