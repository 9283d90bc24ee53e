// The jest runner of the mutation runs (jest.mutation.config.js): jest's own runner, which, in band
// (as Stryker runs jest), runs a mutant's test files one at a time and, once a test has failed
// under the mutant, loads none of the remaining files (./mutation-bail.js says why). Loading a test
// file (a fresh module registry with aws-cdk-lib or the AWS SDK) is a large part of what a mutant
// costs: jest on all the mapped test files took 9.5 s with every test skipped, 17 s with none.
// A file that is not run has no result; Stryker reads the results of the tests that ran.
const { default: TestRunner } = require('jest-runner');
const { bail } = require('./mutation-bail');

class MutationTestRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (!options.serial || bail.mutant() === undefined) return super.runTests(tests, watcher, options);
    for (const test of tests) {
      if (bail.bailed()) return;
      await super.runTests([test], watcher, options);
    }
  }
}

module.exports = MutationTestRunner;
