// Jest's test order (jest.config.js `testSequencer`): the files known to take longest go first, so
// the run does not end with one long file on one core while the other idles.
//
// Jest's own sequencer orders by each file's last duration, kept in its cache directory under an id
// derived from the project's path; a fresh clone (CI) has none, and jest falls back to file size,
// which puts the short files with the longest runs (a few spawned `cdk synth`s, a checkov run) near
// the end. This list, longest first, is what a fresh clone has instead: measured with
// `npx jest --json` on this two-core machine; keep it roughly current. Files not listed keep jest's
// order (last failure first, then last duration, then size) after the listed ones.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const SLOWEST_FIRST = [
  'test/bin.test.ts',
  'test/tools/docs-check/docs-check.test.ts',
  'test/checkov.test.ts',
  'test/lambda/restore/restore.moto.test.ts',
  'test/global/global-dns-stack.test.ts',
  'test/posture/objectives.test.ts',
  'test/nag.test.ts',
  'test/cfn-lint.test.ts',
  'test/data/site-data-stack.test.ts',
  'test/stateful-logical-ids.test.ts',
  'test/posture/dr-rules.test.ts',
];

const ROOT = path.join(__dirname, '..', '..');
const rank = new Map(SLOWEST_FIRST.map((file, i) => [path.join(ROOT, file), i]));

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const listed = ordered.filter((t) => rank.has(t.path)).sort((a, b) => rank.get(a.path) - rank.get(b.path));
    return [...listed, ...ordered.filter((t) => !rank.has(t.path))];
  }
}

module.exports = SlowFirstSequencer;
module.exports.SLOWEST_FIRST = SLOWEST_FIRST;
