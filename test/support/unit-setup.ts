// setupFiles of jest's unit project (jest.config.js). A full `jest` run shares one pool of workers
// between both projects, and the workers inherit what the integration global setup exported; jest
// gives each test file its own copy of process.env, so removing those here makes a unit test that
// needs moto or the shared synthesis fail in every run, not only under `npm run test:unit`, and
// buildApp() refuses to synthesize the whole app (test/support/app.ts).
import { SHARED_CDK_OUT_ENV, UNIT_PROJECT_ENV } from './project-env';

delete process.env.MOTO_ENDPOINT;
delete process.env[SHARED_CDK_OUT_ENV];
process.env[UNIT_PROJECT_ENV] = '1';
