// The variables through which jest's two projects (jest.config.js) tell tests apart. This module
// imports nothing: test/support/unit-setup.ts loads it into every unit test file's module registry,
// where importing ./config would load lib/config.ts and zod into each one, the playbook tests
// included (and in each mutant's jest run of `npm run test:mutation`).

/**
 * Set (to "1") in every test file of jest's unit project (test/support/unit-setup.ts): a unit test
 * must not synthesize the whole app, so buildApp() and sharedCdkOut() refuse there.
 */
export const UNIT_PROJECT_ENV = 'PORTFOLIO_DR_UNIT_TEST';

/** Directory of the default app's cloud assembly that the integration global setup synthesizes once per run. */
export const SHARED_CDK_OUT_ENV = 'PORTFOLIO_DR_SHARED_CDK_OUT';
