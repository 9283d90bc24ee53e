// Jest configuration for mutation testing (npm run test:mutation, stryker.config.json): the unit
// project of jest.config.js on its own. Stryker runs the tests many times over, once per mutant, so
// it takes only the tests that need no moto server, no Python tool and no synthesis of the whole app;
// a module whose only tests are integration tests must gain unit tests to be mutation-tested.
const path = require('node:path');
const { projects, testTimeout } = require('./jest.config');

const unit = projects.find((project) => project.displayName === 'unit');
const { displayName: _displayName, ...settings } = unit;

// findRelatedTests considers only files jest has indexed, the mutated module included: index the
// sources besides test/ (testMatch still takes tests from test/ only).
const roots = [...settings.roots, '<rootDir>/lib', '<rootDir>/lambda', '<rootDir>/cli', '<rootDir>/tools'];

/** @type {import('jest').Config} */
module.exports = {
  ...settings,
  roots,
  rootDir: __dirname,
  testTimeout,
  // Stryker's jest runner picks each mutant's tests with jest's findRelatedTests. Jest follows imports
  // transitively, which ran every test file that reaches a module through any chain of imports (CLI
  // and CDK suites for a playbook module; 21 s a mutant for a DR rule on the shared machine). This
  // extractor makes it follow test/support/mutation-tests.js instead: each module's direct tests.
  dependencyExtractor: '<rootDir>/test/support/mutation-dependencies.js',
  // A bail (test/support/mutation-bail.js): once a test has failed under a mutant, the environment
  // skips that mutant's remaining tests and the runner loads none of its remaining test files
  // (Stryker needs one failure; its jest runner cannot pass jest's bail). Full paths: Stryker resolves
  // the environment with require.resolve when it wraps it.
  testEnvironment: path.join(__dirname, 'test/support/mutation-environment.js'),
  runner: path.join(__dirname, 'test/support/mutation-runner.js'),
};
