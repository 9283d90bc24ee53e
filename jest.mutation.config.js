// Jest configuration for mutation testing (npm run test:mutation, stryker.config.json): the unit
// project of jest.config.js on its own. Stryker runs the tests many times over, once per mutant, so
// it takes only the tests that need no moto server, no Python tool and no synthesis of the whole app;
// a module whose only tests are integration tests must gain unit tests to be mutation-tested.
const { projects, testTimeout } = require('./jest.config');

const unit = projects.find((project) => project.displayName === 'unit');
const { displayName: _displayName, ...settings } = unit;

/** @type {import('jest').Config} */
// Stryker's jest runner picks each mutant's tests with jest's findRelatedTests, which follows imports
// only through files jest has indexed; with the unit project's roots (test/ alone) a source file
// that tests reach only through another source file (a DR rule through lib/posture/dr-checks.ts)
// had no related test, so its mutants "survived" with no test run. Index the sources too; testMatch
// still takes tests from test/ only.
const roots = [...settings.roots, '<rootDir>/lib', '<rootDir>/lambda', '<rootDir>/cli', '<rootDir>/tools'];

module.exports = { ...settings, roots, rootDir: __dirname, testTimeout };
