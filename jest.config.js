/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  globalSetup: '<rootDir>/test/support/moto-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/moto-global-teardown.ts',
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 120000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
