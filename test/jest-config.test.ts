import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfigs } from 'jest-config';
import { ROOT } from './support/config';

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
