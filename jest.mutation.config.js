// Jest configuration for mutation testing (npm run test:mutation, stryker.config.json): the unit
// project of jest.config.js on its own. Stryker runs the tests many times over, once per mutant, so
// it takes only the tests that need no moto server, no Python tool and no synthesis of the whole app;
// a module whose only tests are integration tests must gain unit tests to be mutation-tested.
const { projects, testTimeout } = require('./jest.config');

const unit = projects.find((project) => project.displayName === 'unit');
const { displayName: _displayName, ...settings } = unit;

/** @type {import('jest').Config} */
module.exports = { ...settings, rootDir: __dirname, testTimeout };
