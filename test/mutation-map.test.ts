import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandPattern } from '../scripts/mutation-scores';

// The map of mutated modules to their tests (test/support/mutation-tests.js) and the jest dependency
// extractor that makes Stryker's findRelatedTests follow it (jest.mutation.config.js).
const ROOT = path.join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MAP: Record<string, string[]> = require('./support/mutation-tests');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extractor = require('./support/mutation-dependencies');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const INTEGRATION: string[] = require('./support/integration-tests');

describe('the mutation test map', () => {
  test('names exactly the modules of stryker.config.json', () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'stryker.config.json'), 'utf8'));
    const modules = [...new Set((config.mutate as string[]).flatMap((p) => expandPattern(ROOT, p)))].sort();
    expect(Object.keys(MAP).sort()).toEqual(modules);
  });

  test('gives every module unit test files that exist', () => {
    const wrong = Object.entries(MAP).flatMap(([module, tests]) =>
      (tests.length === 0 ? [''] : tests)
        .filter((t) => !t.endsWith('.test.ts') || INTEGRATION.includes(t) || !fs.existsSync(path.join(ROOT, t)))
        .map((t) => `${module}: ${JSON.stringify(t)}`),
    );
    expect(wrong).toEqual([]);
  });

  test('the extractor gives a test file the modules it is listed under, and any other file nothing', () => {
    const at = (file: string) => path.join(ROOT, file);
    expect([...extractor.extract('', at('test/lambda/restore/planner.test.ts'))]).toEqual([
      at('lambda/lib/restore/planner.ts'),
    ]);
    expect([...extractor.extract('', at('test/posture/rules/route53-records.test.ts'))].sort()).toEqual(
      [
        'lib/posture/rules/alias-evaluates-target-health.ts',
        'lib/posture/rules/failover-records-paired.ts',
        'lib/posture/rules/switch-check-keeps-last-known-status.ts',
      ].map(at),
    );
    // A source file that imports others, and a test the map does not list.
    expect([...extractor.extract("import { x } from './y';", at('lib/posture/dr-checks.ts'))]).toEqual([]);
    expect([...extractor.extract("import { x } from './y';", at('test/bin.test.ts'))]).toEqual([]);
  });

  test('a test file listed under two modules depends on both; the cache key is a hash of the map', () => {
    const at = (file: string) => path.join(ROOT, file);
    expect(extractor.testDependencies({ 'a.ts': ['t.test.ts'], 'b.ts': ['t.test.ts'], 'c.ts': ['u.test.ts'] })).toEqual(
      new Map([
        [at('t.test.ts'), [at('a.ts'), at('b.ts')]],
        [at('u.test.ts'), [at('c.ts')]],
      ]),
    );
    expect(extractor.getCacheKey()).toMatch(/^[0-9a-f]{64}$/);
  });
});
