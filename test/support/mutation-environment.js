// The jest test environment of the mutation runs (jest.mutation.config.js): jest's node environment,
// which, once a test has failed under a mutant, skips that mutant's remaining tests in the file
// (./mutation-bail.js says why).
const { TestEnvironment } = require('jest-environment-node');
const { bail } = require('./mutation-bail');

class MutationTestEnvironment extends TestEnvironment {
  async handleTestEvent(event, state) {
    await super.handleTestEvent?.(event, state);
    bail.onTestEvent(event);
  }
}

module.exports = MutationTestEnvironment;
