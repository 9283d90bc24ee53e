// What every test may need without loading aws-cdk-lib: the repository root, the default config,
// and the variables through which jest's two projects (jest.config.js) tell tests apart.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DrConfig, loadConfig } from '../../lib/config';

export const ROOT = path.join(__dirname, '..', '..');

/** The default config shipped in the repo. */
export function defaultConfig(): DrConfig {
  return loadConfig(path.join(ROOT, 'config', 'default.json'));
}

/**
 * The default config as its file holds it, not parsed: for a test file that needs a config while
 * it loads (a template built at module level, a shared deployment record). Parsing there would run
 * lib/config.ts's schema outside every test, which makes each of its mutants "static" for Stryker:
 * run against every test that imports the config instead of the tests that parse one. Parsing the
 * default config returns it unchanged (test/config.test.ts), so the two agree.
 */
export function defaultConfigAsWritten(): DrConfig {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'default.json'), 'utf8')) as DrConfig;
}

// The variables that tell jest's two projects apart live in ./project-env, which imports nothing:
// the unit project's setup file loads it in every test file (test/support/unit-setup.ts).
export { SHARED_CDK_OUT_ENV, UNIT_PROJECT_ENV } from './project-env';
