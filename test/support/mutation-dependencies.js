// jest `dependencyExtractor` of the mutation runs (jest.mutation.config.js): the dependencies jest's
// findRelatedTests follows are the ones test/support/mutation-tests.js names, and no others. A test
// file depends on the modules the map lists it under; every other file, source or test, depends on
// nothing, so a mutant in a module runs exactly the test files the map gives that module (and,
// with Stryker's perTest coverage, only the tests in them that reach the mutant).
// Jest reads only this file's extract() and getCacheKey() (jest docs, "dependencyExtractor").
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const MAP_FILE = path.join(__dirname, 'mutation-tests.js');

/** Test file (absolute) -> the modules (absolute) the map lists it under. */
function testDependencies(map) {
  const dependencies = new Map();
  for (const [module, tests] of Object.entries(map)) {
    for (const test of tests) {
      const file = path.join(ROOT, test);
      dependencies.set(file, [...(dependencies.get(file) ?? []), path.join(ROOT, module)]);
    }
  }
  return dependencies;
}

const DEPENDENCIES = testDependencies(require(MAP_FILE));

module.exports = {
  testDependencies,
  extract(_code, filePath) {
    return new Set(DEPENDENCIES.get(path.resolve(filePath)) ?? []);
  },
  // Jest caches each file's dependencies in its haste map; a change to the map must invalidate them.
  getCacheKey() {
    return crypto
      .createHash('sha256')
      .update(fs.readFileSync(MAP_FILE))
      .update(fs.readFileSync(__filename))
      .digest('hex');
  },
};
