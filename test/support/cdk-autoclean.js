// setupFilesAfterEnv of both jest projects (jest.config.js): after each test file, remove the
// temporary cdk.out directories that its apps synthesized into, as aws-cdk-lib's
// testhelpers/jest-autoclean does, but only in a file that loaded the module that records them.
//
// jest-autoclean requires aws-cdk-lib/cx-api in every file's afterAll, and cleaning up loads the
// cloud assembly API behind it (113 modules: the schema, jsonschema, semver) into the file's fresh
// module registry, also in the playbook tests that never build an app. Each mutant of
// `npm run test:mutation` is one jest run of a module's test files, so that cost was paid for every
// test file of every mutant (README, "Mutation testing"). An app records each temporary directory
// in that module when it synthesizes without an outdir; a file that never loaded it has none to remove.
const path = require('node:path');

// aws-cdk-lib bundles its own copy of the cloud assembly API: resolve it from aws-cdk-lib.
const CLOUD_ASSEMBLY = require.resolve('@aws-cdk/cloud-assembly-api/lib/cloud-assembly', {
  paths: [path.dirname(require.resolve('aws-cdk-lib/package.json'))],
});

/** Whether this file's registry has loaded the module that records temporary assemblies. */
function cloudAssemblyLoaded() {
  return CLOUD_ASSEMBLY in require.cache;
}

if (!process.env.CDK_NO_CLEAN_TESTS) {
  afterAll(() => {
    if (cloudAssemblyLoaded()) require(CLOUD_ASSEMBLY).CloudAssembly.cleanupTemporaryDirectories();
  });
}

module.exports = { CLOUD_ASSEMBLY, cloudAssemblyLoaded };
