// A throwaway jest project for tests of this repository's jest setup (test/jest-config.test.ts,
// test/mutation-environment.test.ts): plain .js test files in a temporary directory, and jest run on
// them in its own process, in band, as Stryker and CI run it.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface JestProject {
  readonly dir: string;
  /** Runs jest in `dir` on `config` (its rootDir set to `dir`), with `args` and the environment `env`. */
  jest(config: Record<string, unknown>, args?: string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
}

/** Calls `body` with a temporary directory holding `files` (name to content); removes it afterwards. */
export function inJestProject<T>(prefix: string, files: Record<string, string>, body: (project: JestProject) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return body({
      dir,
      jest: (config, args = [], env = process.env) =>
        spawnSync(
          process.execPath,
          [
            require.resolve('jest/bin/jest'),
            '--config',
            JSON.stringify({ ...config, rootDir: dir }),
            '--ci',
            '--runInBand',
            ...args,
          ],
          { cwd: dir, encoding: 'utf8', env },
        ),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
