// Disables, when a test file is done, the AsyncLocalStorage instances that the file's run put to
// use. Used by the mutation runs' test environment (./mutation-environment.js; README, "Mutation
// testing").
//
// Why: jest-circus 30 creates an AsyncLocalStorage for each test file (its test execution context,
// in jestAdapterInit, which jest loads into every file's fresh module registry) and never disables
// it. On Node 20 an enabled AsyncLocalStorage stays registered with async_hooks for the life of the
// process, and every promise created afterwards visits each registered one. A Stryker test runner
// process runs thousands of test files one after another, so each mutant ran slower than the one
// before: 20,000 awaits took 1.6 ms with none registered, 2.1 s with 1,000 and 4.0 s with 2,000
// (npm run bench:async-storages). A file's storages belong to its module registry, which is
// dropped with it, so nothing uses them after the file's teardown.
const { AsyncLocalStorage } = require('node:async_hooks');

// One record per process, kept on the class: the patch must be applied once even when this module is
// loaded more than once (jest loads a test file's own requires into its registry).
const RECORD = Symbol.for('portfolio-dr.file-async-storages');
const record = (AsyncLocalStorage[RECORD] ??= patch());

/** Wraps run and enterWith so that a storage first put to use while a file runs is recorded as its own. */
function patch() {
  const state = {
    /** Storages seen in use before, so that one used across files is not counted as a file's own. */
    seen: new WeakSet(),
    /** The storages first put to use while the current test file runs, or undefined between files. */
    file: undefined,
  };
  for (const method of ['run', 'enterWith']) {
    const original = AsyncLocalStorage.prototype[method];
    AsyncLocalStorage.prototype[method] = function (...args) {
      if (!state.seen.has(this)) {
        state.seen.add(this);
        state.file?.add(this);
      }
      return original.apply(this, args);
    };
  }
  return state;
}

/** Starts recording the storages a test file puts to use. */
function startFile() {
  record.file = new Set();
}

/** Disables the storages the test file put to use; returns how many. */
function endFile() {
  const storages = record.file ?? new Set();
  record.file = undefined;
  for (const storage of storages) storage.disable();
  return storages.size;
}

module.exports = { startFile, endFile };
