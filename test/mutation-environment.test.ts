import { AsyncLocalStorage } from 'node:async_hooks';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readConfigs } from 'jest-config';
import { ROOT } from './support/config';
import { inJestProject } from './support/jest-project';

// What the mutation runs' jest environment and runner add to jest's:
// - the bail (test/support/mutation-bail.js): once a test has failed under a mutant, that mutant's
//   other tests are skipped and its other files not run;
// - the release of each test file's AsyncLocalStorage instances (test/support/file-async-storages.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MutantBail, ACTIVE_MUTANT } = require('./support/mutation-bail');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fileAsyncStorages = require('./support/file-async-storages');
const ENVIRONMENT = path.join(ROOT, 'test/support/mutation-environment.js');
const RUNNER = path.join(ROOT, 'test/support/mutation-runner.js');

type Mode = string | undefined;
interface Event {
  name: string;
  test: { errors: unknown[]; mode: Mode };
}
const test_ = (errors: unknown[] = []) => ({ errors, mode: undefined as Mode });
/** Feeds `bail` a started and a finished test, as jest-circus does; returns the test's mode after test_start. */
function run(bail: { onTestEvent(e: Event): void }, errors: unknown[] = []): Mode {
  const t = test_(errors);
  bail.onTestEvent({ name: 'test_start', test: t });
  const mode = t.mode;
  bail.onTestEvent({ name: 'test_done', test: t });
  return mode;
}

describe('the mutation bail', () => {
  test('under a mutant, the tests after a failure are skipped; those before ran', () => {
    const bail = new MutantBail({ [ACTIVE_MUTANT]: '7' });
    expect([run(bail), run(bail, [new Error('killed')]), run(bail), run(bail)]).toEqual([
      undefined,
      undefined,
      'skip',
      'skip',
    ]);
  });

  test('the next mutant runs its tests although the previous one failed', () => {
    const env: Record<string, string | undefined> = { [ACTIVE_MUTANT]: '7' };
    const bail = new MutantBail(env);
    run(bail, [new Error('killed')]);
    env[ACTIVE_MUTANT] = '8';
    expect([run(bail), run(bail)]).toEqual([undefined, undefined]);
  });

  test("without a mutant (Stryker's initial coverage run, plain jest) no test is skipped", () => {
    for (const env of [{}, { [ACTIVE_MUTANT]: '' }]) {
      const bail = new MutantBail(env);
      expect([run(bail, [new Error('fails')]), run(bail)]).toEqual([undefined, undefined]);
    }
  });

  test('a mutant whose tests all pass has none skipped', () => {
    const bail = new MutantBail({ [ACTIVE_MUTANT]: '3' });
    expect([run(bail), run(bail), run(bail)]).toEqual([undefined, undefined, undefined]);
    expect(bail.bailed()).toBe(false);
  });

  test('bailed() holds from the first failure under a mutant until the next mutant', () => {
    const env: Record<string, string | undefined> = { [ACTIVE_MUTANT]: '7' };
    const bail = new MutantBail(env);
    expect(bail.bailed()).toBe(false);
    run(bail, [new Error('killed')]);
    expect(bail.bailed()).toBe(true);
    env[ACTIVE_MUTANT] = '8';
    expect(bail.bailed()).toBe(false);
    delete env[ACTIVE_MUTANT];
    expect(bail.bailed()).toBe(false);
  });
});

describe('the mutation bail in jest', () => {
  test('is the test environment and runner of jest.mutation.config.js, as full paths Stryker can resolve', async () => {
    const { configs } = await readConfigs({ $0: 'jest', _: [] } as unknown as Parameters<typeof readConfigs>[0], [
      path.join(ROOT, 'jest.mutation.config.js'),
    ]);
    expect(configs.map((c) => [c.testEnvironment, c.runner])).toEqual([[ENVIRONMENT, RUNNER]]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('../jest.mutation.config.js').testEnvironment).toBe(ENVIRONMENT);
  });

  // Jest on two files, in band as Stryker runs them: after the first failure under a mutant, the other
  // tests of that file are reported skipped ("pending" in jest's JSON) and the next file is not run.
  test('skips the rest of a mutant run after the first failure, across files, and nothing without a mutant', () => {
    const files = {
      'a.test.js':
        "test('passes', () => {});\ntest('fails', () => { throw new Error('killed'); });\ntest('after', () => {});\n",
      'b.test.js': "test('next file', () => {});\n",
      // A plain test sequencer: files in the order given (jest's own would sort by size).
      'sequencer.js':
        'module.exports = class { sort(tests) { return [...tests].sort((a, b) => a.path.localeCompare(b.path)); } cacheResults() {} };\n',
    };
    inJestProject('mutation-bail-', files, ({ dir, jest }) => {
      const config = { testEnvironment: ENVIRONMENT, runner: RUNNER, testSequencer: path.join(dir, 'sequencer.js') };
      const statuses = (env: NodeJS.ProcessEnv) => {
        const out = path.join(dir, 'out.json');
        jest(config, ['--json', `--outputFile=${out}`, 'a.test.js', 'b.test.js'], env);
        const results = JSON.parse(fs.readFileSync(out, 'utf8')).testResults as {
          name: string;
          assertionResults: { title: string; status: string }[];
        }[];
        return results
          .sort((x, y) => x.name.localeCompare(y.name))
          .flatMap((r) => r.assertionResults.map((a) => `${a.title}: ${a.status}`));
      };
      const { [ACTIVE_MUTANT]: _inherited, ...base } = process.env;
      expect(statuses({ ...base, [ACTIVE_MUTANT]: '12' })).toEqual([
        'passes: passed',
        'fails: failed',
        'after: pending',
      ]);
      expect(statuses(base)).toEqual(['passes: passed', 'fails: failed', 'after: passed', 'next file: passed']);
    });
  });
});

describe("a test file's AsyncLocalStorage instances", () => {
  test('those first put to use during the file are disabled when it ends; one in use before is left alone', () => {
    const before = new AsyncLocalStorage<string>();
    before.enterWith('kept');
    fileAsyncStorages.startFile();
    const viaRun = new AsyncLocalStorage<string>();
    const viaEnterWith = new AsyncLocalStorage<string>();
    const unused = new AsyncLocalStorage<string>();
    viaRun.run('run', () => before.run('again', () => undefined));
    viaEnterWith.enterWith('entered');
    expect([viaEnterWith.getStore(), unused.getStore()]).toEqual(['entered', undefined]);
    expect(fileAsyncStorages.endFile()).toBe(2);
    expect([viaEnterWith.getStore(), before.getStore()]).toEqual([undefined, 'kept']);
    // A storage disabled at the end of a file still works when it is run again.
    expect(viaRun.run('later', () => viaRun.getStore())).toBe('later');
    before.disable();
  });

  test('between files nothing is recorded, and ending twice disables nothing more', () => {
    const between = new AsyncLocalStorage<string>();
    between.enterWith('between');
    fileAsyncStorages.startFile();
    expect(fileAsyncStorages.endFile()).toBe(0);
    expect(fileAsyncStorages.endFile()).toBe(0);
    expect(between.getStore()).toBe('between');
    between.disable();
  });

  // Jest on two files in band, as Stryker runs them: each file's run puts jest-circus's own storage
  // (its test execution context) to use, and the environment disables it at the file's end.
  test("the environment disables jest-circus's storage of each file it runs", () => {
    const awaits = "test('awaits', async () => { await Promise.resolve(); });\n";
    // The environment, with each file's count of disabled storages appended to a log.
    const environment = `const storages = require(${JSON.stringify(path.join(ROOT, 'test/support/file-async-storages.js'))});
const log = require('node:path').join(__dirname, 'released');
const endFile = storages.endFile;
storages.endFile = () => { const n = endFile(); require('node:fs').appendFileSync(log, n + '\\n'); return n; };
module.exports = require(${JSON.stringify(ENVIRONMENT)});
`;
    const files = { 'environment.js': environment, 'a.test.js': awaits, 'b.test.js': awaits };
    inJestProject('file-storages-', files, ({ dir, jest }) => {
      expect(jest({ testEnvironment: path.join(dir, 'environment.js') }).status).toBe(0);
      const released = fs.readFileSync(path.join(dir, 'released'), 'utf8').trim().split('\n').map(Number);
      expect(released).toHaveLength(2);
      expect(released.every((n) => n >= 1)).toBe(true);
    });
  });
});
