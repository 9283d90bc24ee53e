// Which test files Stryker runs on each mutated module (npm run test:mutation; README, "Mutation
// testing"). Keys are the modules of stryker.config.json's `mutate` list, values their direct unit
// tests; test/mutation-map.test.ts checks both sides.
//
// Why a map: Stryker's jest runner calls jest once per mutant with findRelatedTests on the mutated
// file, and jest follows imports transitively, so a DR rule's mutant loaded every test file that
// reaches lib/posture/dr-checks.ts (9 files, about 130 tests covering it) and a restore planner's
// mutant 19 files, CLI suites among them. Measured on the shared two-core machine (load 6-7):
// site-content-versioned.ts, 11 mutants, took 4 min (21 s a mutant). Its direct tests kill the
// same mutants at a fraction of the cost; the scores are then a floor (more tests could only kill
// more). test/support/mutation-dependencies.js makes findRelatedTests follow this map and nothing else.
const RULE_TESTS = ['test/posture/dr-rules.test.ts'];
const rule = (name, ...own) => [`lib/posture/rules/${name}.ts`, [...RULE_TESTS, ...own]];

/** @type {Record<string, string[]>} */
module.exports = Object.fromEntries([
  ['lib/config.ts', ['test/config.test.ts']],
  ['lib/posture/objectives.ts', ['test/posture/budgets.test.ts']],
  rule('alarms-page-one-urgency', 'test/posture/rules/alarms-page-one-urgency.test.ts', 'test/paging/paging.test.ts'),
  rule('alias-evaluates-target-health', 'test/posture/rules/route53-records.test.ts'),
  rule('failover-records-paired', 'test/posture/rules/route53-records.test.ts'),
  rule('failover-roles-without-route53-write', 'test/posture/rules/failover-roles-without-route53-write.test.ts'),
  rule('playbooks-in-standby-region'),
  rule('route53-alarms-in-us-east-1'),
  rule('site-content-backed-up', 'test/posture/rules/site-content-backed-up.test.ts'),
  rule('site-content-history-protected', 'test/posture/rules/site-content-history-protected.test.ts'),
  rule('site-content-recovery-points-locked'),
  rule('site-content-replicated', 'test/posture/rules/site-content-replicated.test.ts'),
  rule('site-content-versioned'),
  rule('stateful-resources-retained'),
  rule(
    'support',
    'test/posture/rules/support.test.ts',
    'test/posture/rules/failover-roles-without-route53-write.test.ts',
    'test/posture/rules/site-content-history-protected.test.ts',
    'test/paging/paging.test.ts',
  ),
  rule('switch-check-keeps-last-known-status', 'test/posture/rules/route53-records.test.ts'),
  rule('topics-admit-their-publishers', 'test/paging/paging.test.ts'),
  ['lambda/lib/traffic/switch.ts', ['test/lambda/traffic/switch.test.ts']],
  ['lambda/lib/traffic/readiness.ts', ['test/lambda/traffic/failback-blockers.test.ts']],
  ['lambda/lib/readiness/certificates.ts', ['test/lambda/readiness/certificates.test.ts']],
  ['lambda/lib/readiness/deps.ts', ['test/lambda/readiness/traffic-switch.test.ts']],
  ['lambda/lib/readiness/health-checks.ts', ['test/lambda/readiness/health-checks.test.ts']],
  ['lambda/lib/readiness/hosting-settings.ts', ['test/lambda/readiness/hosting-settings.test.ts']],
  ['lambda/lib/readiness/live-release.ts', ['test/lambda/readiness/live-release.test.ts']],
  ['lambda/lib/readiness/recovery-point.ts', ['test/lambda/readiness/recovery-point.test.ts']],
  ['lambda/lib/readiness/replication-drift.ts', ['test/lambda/readiness/replication-drift.test.ts']],
  ['lambda/lib/readiness/runner.ts', ['test/lambda/readiness/runner.test.ts']],
  ['lambda/lib/readiness/traffic-switch.ts', ['test/lambda/readiness/traffic-switch.test.ts']],
  [
    'lambda/lib/restore/planner.ts',
    ['test/lambda/restore/planner.test.ts', 'test/lambda/restore/instant-gate.test.ts'],
  ],
  ['lambda/lib/restore/executor.ts', ['test/lambda/restore/executor.test.ts']],
  ['lambda/lib/replication/verify.ts', ['test/lambda/replication/verify.test.ts']],
  ['lambda/lib/release.ts', ['test/lambda/release.test.ts', 'test/lambda/release-one-region.test.ts']],
]);
