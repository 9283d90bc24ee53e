// The bail of the mutation runs (jest.mutation.config.js; README, "Mutation testing"): once a test
// has failed under a mutant, the rest of that mutant's run is skipped. Its test environment
// (./mutation-environment.js) skips the remaining tests of the file, its runner
// (./mutation-runner.js) does not load the remaining files.
//
// Why: Stryker asks its test runners to stop at the first failing test (its `disableBail` is off by
// default): one failure is all it needs to count the mutant killed. Its jest runner cannot pass
// jest's `bail` to runCLI, so every test file and test that covers a mutant ran, also after the
// first failure had killed it. A killed mutant stays killed (by the same first failing test), and a
// surviving mutant's tests all pass, so none of them is skipped. Only a mutant that also sent a later
// test into an endless loop changes: it is now killed by the earlier failure instead of timing out.
//
// Stryker sets __STRYKER_ACTIVE_MUTANT__ in its test runner process for the duration of one
// mutant's jest run, and runs jest in band in that process, so both the environment (built once per
// test file) and the runner see this module's one instance. Without a mutant (Stryker's initial run,
// which measures what each test covers, or plain jest) nothing is skipped.
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

class MutantBail {
  constructor(env = process.env) {
    this.env = env;
    this.failedUnder = undefined;
  }

  /** The mutant being tested, or undefined outside a mutant's run. */
  mutant() {
    const mutant = this.env[ACTIVE_MUTANT];
    return mutant === undefined || mutant === '' ? undefined : mutant;
  }

  /** Whether a test has failed under the mutant being tested. */
  bailed() {
    const mutant = this.mutant();
    return mutant !== undefined && this.failedUnder === mutant;
  }

  /** Handles a jest-circus event: records a failure, and skips a test that starts after one. */
  onTestEvent(event) {
    const mutant = this.mutant();
    if (mutant === undefined) return;
    if (event.name === 'test_done' && event.test.errors.length > 0) this.failedUnder = mutant;
    // jest-circus reads the mode once test_start has been handled: a skipped test runs no hook.
    if (event.name === 'test_start' && this.failedUnder === mutant) event.test.mode = 'skip';
  }
}

/** This process's bail, shared by the environment and the runner. */
const bail = new MutantBail();

module.exports = { ACTIVE_MUTANT, MutantBail, bail };
