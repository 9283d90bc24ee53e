// The jest test environment of the mutation runs (jest.mutation.config.js): jest's node environment,
// which
// - once a test has failed under a mutant, skips that mutant's remaining tests in the file
//   (./mutation-bail.js says why);
// - when the file is done, disables the AsyncLocalStorage instances its run put to use, so that a
//   Stryker test runner process does not slow down with every file it runs (./file-async-storages.js).
const { TestEnvironment } = require('jest-environment-node');
const { bail } = require('./mutation-bail');
const fileAsyncStorages = require('./file-async-storages');

class MutationTestEnvironment extends TestEnvironment {
  async setup() {
    fileAsyncStorages.startFile();
    await super.setup();
  }

  async handleTestEvent(event, state) {
    await super.handleTestEvent?.(event, state);
    bail.onTestEvent(event);
  }

  async teardown() {
    try {
      await super.teardown();
    } finally {
      fileAsyncStorages.endFile();
    }
  }
}

module.exports = MutationTestEnvironment;
