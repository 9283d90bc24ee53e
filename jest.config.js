// Two projects, so that the tests that need no infrastructure run on their own in seconds
// (`npm run test:unit`) and `npm test` runs both:
// - unit: pure code, mocked AWS clients and small stacks in a fresh App. No moto server, no Python
//   tool, no synthesis of the whole app (test/support/unit-setup.ts makes each of those fail with a
//   message saying to list the file there).
// - integration: the files listed in test/support/integration-tests.js. Their global setup starts moto server and, at the
//   same time, synthesizes the default app once into a temporary cdk.out that every suite reading
//   templates shares (test/support/integration-setup.ts, test/support/app.ts sharedTemplates()).

const os = require('node:os');
const INTEGRATION = require('./test/support/integration-tests');

/** Settings both projects share (jest does not pass top-level settings down to projects). */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'], '/node_modules/.+\\.js$': ['@swc/jest'] },
  // The docs check's Markdown parser and slugger are ESM-only; jest's module loader cannot require()
  // ESM, so those packages (and their ESM dependencies) go through the swc transform above.
  transformIgnorePatterns: [
    '/node_modules/(?!(?:mdast-util-[^/]+|micromark[^/]*|unist-util-[^/]+|github-slugger|decode-named-character-reference|character-entities|devlop|ccount|longest-streak|escape-string-regexp|markdown-table|zwitch)/)',
  ],
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  // Removes the temporary cdk.out directories of a file's apps once its tests are done.
  setupFilesAfterEnv: ['<rootDir>/test/support/cdk-autoclean.js'],
};

// aws-cdk-lib 2.276 (pinned in package.json) runs a built-in CloudFormation validation plugin on
// every synthesis: its engine takes about 1.5 s to start in each test file (jest gives each file its own module registry)
// and more on each synthesis. Measured on this two-core machine, four CDK suites took 16.8 s with it
// and 4.0 s without, and the whole run 177 s against 73 s. The tests turn it off (jest's workers and
// the integration setup's synthesis inherit this process's environment) because the templates are
// validated anyway: cfn-lint and checkov read the shared synthesis, and test/bin.test.ts turns the
// plugin back on for the README's `npx cdk synth` of the default config, which must pass it.
// An explicit CDK_VALIDATION in the environment wins.
process.env.CDK_VALIDATION ??= 'false';

const escape = (file) => file.replace(/[.]/g, '\\.');

/** @type {import('jest').Config} */
module.exports = {
  // Global settings (jest reads these at the top level only, not in a project).
  testTimeout: 120000,
  // Jest's default is one worker less than the cores: one worker on a two-core machine. Several
  // suites mostly wait (moto round trips, S3's one-second timestamps, spawned CLIs), so one worker
  // more than the cores keeps both busy. A number, not a percentage: jest reads a percentage only up
  // to '100%' and takes '150%' as 150 workers, one process per test file, all loading aws-cdk-lib at
  // once and all ending at once, too many to exit within jest's 500 ms ("A worker process has failed
  // to exit gracefully").
  maxWorkers: os.availableParallelism() + 1,
  // How long a worker may take to exit once its files are done before jest kills it and prints "A
  // worker process has failed to exit gracefully". Jest's 500 ms is too short for a worker that has
  // loaded aws-cdk-lib for a dozen files on a loaded machine: with 10 s the warning went away and the
  // run took no longer (README, "The two commands"), so nothing was holding the workers open. A real
  // leak still shows: a worker still running after 5 s is killed and reported.
  workerGracefulExitTimeout: 5000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // The longest files first, also on a fresh clone with no timings cached (test/support/slow-first-sequencer.js).
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...INTEGRATION.map((file) => `<rootDir>/${escape(file)}$`)],
      setupFiles: ['<rootDir>/test/support/unit-setup.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: INTEGRATION.map((file) => `<rootDir>/${file}`),
      globalSetup: '<rootDir>/test/support/integration-setup.ts',
      globalTeardown: '<rootDir>/test/support/integration-teardown.ts',
    },
  ],
};
