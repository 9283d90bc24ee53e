import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './support/app';

// Snapshots catch any template change for review; the fine-grained tests beside them say which
// properties matter and why. Asset hashes are normalised by test/support/asset-hash-serializer.js.
const t = buildApp();

test.each([
  ['data-primary', t.stacks.data.primary],
  ['data-standby', t.stacks.data.standby],
  ['hosting-primary', t.stacks.hosting.primary],
  ['hosting-standby', t.stacks.hosting.standby],
  ['global-dns', t.stacks.global],
  ['recovery-primary', t.stacks.recovery.primary],
  ['recovery-standby', t.stacks.recovery.standby],
])('%s template matches the snapshot', (_name, stack) => {
  expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
});

test('the snapshot serializer removes asset hashes and nothing else', () => {
  const hash = 'a'.repeat(64);
  expect({ key: `${hash}.zip`, other: 'abc123' }).toMatchInlineSnapshot(`
    {
      "key": "[ASSET-HASH].zip",
      "other": "abc123",
    }
  `);
});
