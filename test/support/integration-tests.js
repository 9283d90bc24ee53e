// The test files of jest's integration project (jest.config.js); every other test file is a unit
// test. A file belongs here when it needs moto server, a Python tool from .venv (cfn-lint, checkov),
// a synthesis of the whole app (the shared one or its own), or a spawned CLI.
module.exports = [
  // a synthesis of the whole app (the shared one, or built in the suite for construct-tree access or another config)
  'test/bin.test.ts',
  'test/cfn-lint.test.ts',
  'test/checkov.test.ts',
  'test/cli/posture-command.test.ts',
  'test/cli/preflight/preflight.test.ts',
  'test/data/site-data-stack.test.ts',
  'test/global/global-dns-stack.test.ts',
  'test/hosting/hosting-stack.test.ts',
  'test/hosting/static-site-api.test.ts',
  'test/nag.test.ts',
  'test/paging/alarm-urgencies.test.ts',
  'test/posture/dr-checks.test.ts',
  'test/posture/objectives.test.ts',
  'test/portfolio-dr-app.test.ts',
  'test/recovery/recovery-stack.test.ts',
  'test/recovery/restore-loop.test.ts',
  'test/snapshot.test.ts',
  'test/stateful-logical-ids.test.ts',
  'test/tools/docs-check/docs-check.test.ts',
  // a spawned CLI
  'test/scripts/typecheck-and-lint.test.ts',
  // a Python tool from .venv
  'test/hosting/site-csp.test.ts',
  // moto server
  'test/cli/regional-outage.test.ts',
  'test/cli/readiness-command.test.ts',
  'test/cli/release-commands.test.ts',
  'test/cli/restore-command.test.ts',
  'test/cli/verify-replication-command.test.ts',
  'test/lambda/handlers/handlers.test.ts',
  'test/lambda/restore/faults.test.ts',
  'test/lambda/restore/restore.moto.test.ts',
  'test/lambda/traffic/readiness.test.ts',
];
