import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
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

  test('has the two projects, unit and integration', async () => {
    expect((await resolved).configs.map((c) => c.displayName?.name)).toEqual(['unit', 'integration']);
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
