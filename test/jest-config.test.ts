import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfigs } from 'jest-config';
import { ROOT } from './support/config';
import { inJestProject } from './support/jest-project';

const AUTOCLEAN = 'test/support/cdk-autoclean.js';

// The settings jest actually runs with, as it resolves jest.config.js (not as the file spells them).
describe('jest.config.js as jest resolves it', () => {
  const resolved = readConfigs({ $0: 'jest', _: [] } as unknown as Parameters<typeof readConfigs>[0], [ROOT]);

  test('runs one worker more than the cores (a percentage over 100% would be read as that many workers)', async () => {
    expect((await resolved).globalConfig.maxWorkers).toBe(os.availableParallelism() + 1);
  });

  test('gives a worker 5 s to exit before it is killed and reported', async () => {
    expect((await resolved).globalConfig.workerGracefulExitTimeout).toBe(5000);
  });

  test('orders the test files with the slow-first sequencer', async () => {
    expect((await resolved).globalConfig.testSequencer).toBe(path.join(ROOT, 'test/support/slow-first-sequencer.js'));
  });

  test('has the two projects, unit and integration', async () => {
    expect((await resolved).configs.map((c) => c.displayName?.name)).toEqual(['unit', 'integration']);
  });

  test('both projects clean up temporary cdk.out directories with test/support/cdk-autoclean.js', async () => {
    const setups = (await resolved).configs.map((c) => c.setupFilesAfterEnv);
    expect(setups).toEqual([AUTOCLEAN, AUTOCLEAN].map((file) => [path.join(ROOT, file)]));
  });
});

describe('the slow-first sequencer', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Sequencer = require('./support/slow-first-sequencer.js');
  const SLOWEST_FIRST: string[] = Sequencer.SLOWEST_FIRST;
  /** A test file as jest hands it to a sequencer, with no cached timing (a fresh clone). */
  const file = (relative: string, size: number) => ({
    path: path.join(ROOT, relative),
    context: { config: { cache: false, id: 'fresh' }, hasteFS: { getSize: () => size } },
  });
  const order = (tests: ReturnType<typeof file>[]) =>
    new Sequencer({}).sort(tests).map((t: { path: string }) => path.relative(ROOT, t.path));

  test('on a fresh clone runs the listed files first, longest first, then the rest by size as jest does', () => {
    expect(
      order([
        file('test/small.test.ts', 1_000),
        file(SLOWEST_FIRST[2], 2_000),
        file('test/big.test.ts', 90_000),
        file(SLOWEST_FIRST[0], 3_000),
        file('test/medium.test.ts', 20_000),
      ]),
    ).toEqual([SLOWEST_FIRST[0], SLOWEST_FIRST[2], 'test/big.test.ts', 'test/medium.test.ts', 'test/small.test.ts']);
  });

  test('lists only test files that exist, each once', () => {
    expect(SLOWEST_FIRST.filter((f) => !fs.existsSync(path.join(ROOT, f)))).toEqual([]);
    expect(new Set(SLOWEST_FIRST).size).toBe(SLOWEST_FIRST.length);
  });
});

describe("the unit project's setup file", () => {
  // It runs in every unit test file's fresh module registry (each mutant's jest run too): importing
  // test/support/config.ts from it loaded lib/config.ts and zod into every one.
  // Every module a file names: import and export ... from, side-effect imports, require().
  const importsOf = (file: string) =>
    [
      ...fs
        .readFileSync(path.join(ROOT, file), 'utf8')
        .matchAll(/(?:^\s*(?:import|export)\b[^;]*?from\s+|^\s*import\s+|\brequire\(\s*)'([^']+)'/gms),
    ].map((m) => m[1]);

  test('imports only test/support/project-env.ts, which imports nothing', () => {
    expect(importsOf('test/support/unit-setup.ts')).toEqual(['./project-env']);
    expect(importsOf('test/support/project-env.ts')).toEqual([]);
  });
});

describe('the temporary cdk.out clean-up (test/support/cdk-autoclean.js)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { cloudAssemblyLoaded } = require('./support/cdk-autoclean.js');

  test('a file loads the cloud assembly module only once an app synthesizes, which records its directory', () => {
    // Nothing this file imported has built an app: the clean-up has nothing to load.
    expect(cloudAssemblyLoaded()).toBe(false);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    const directory = new App().synth().directory;
    expect(cloudAssemblyLoaded()).toBe(true);
    expect(fs.existsSync(directory)).toBe(true);
  });

  test("removes the directory an app synthesized into once the file's tests are done", () => {
    const synth = `const { App } = require(${JSON.stringify(require.resolve('aws-cdk-lib'))});
const record = require('node:path').join(__dirname, 'assembly-directory');
test('synthesizes', () => { require('node:fs').writeFileSync(record, new App().synth().directory); });`;
    inJestProject('autoclean-', { 'synth.test.js': synth }, ({ dir, jest }) => {
      const { CDK_NO_CLEAN_TESTS: _inherited, ...env } = process.env;
      const run = jest({ testEnvironment: 'node', setupFilesAfterEnv: [path.join(ROOT, AUTOCLEAN)] }, [], env);
      expect(run.status).toBe(0);
      const assembly = fs.readFileSync(path.join(dir, 'assembly-directory'), 'utf8');
      expect(assembly).toContain('cdk.out');
      expect(fs.existsSync(assembly)).toBe(false);
    });
  });
});

describe('aws-cdk-lib built-in CloudFormation validation', () => {
  /** CDK_VALIDATION after loading jest.config.js in a fresh process with `env`. */
  const afterLoadingConfig = (env: Record<string, string>) => {
    const { CDK_VALIDATION: _inherited, ...base } = process.env;
    return spawnSync(
      process.execPath,
      ['-e', "require('./jest.config.js'); process.stdout.write(String(process.env.CDK_VALIDATION))"],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...base, ...env },
      },
    ).stdout;
  };

  test('is turned off for the tests (workers and the integration setup inherit it)', () => {
    expect(afterLoadingConfig({})).toBe('false');
  });

  test('stays on when the environment asks for it', () => {
    expect(afterLoadingConfig({ CDK_VALIDATION: 'true' })).toBe('true');
  });
});
