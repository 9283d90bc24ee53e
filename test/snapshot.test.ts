import { sharedTemplates } from './support/app';

// Snapshots catch any template change for review; the fine-grained tests beside them say which
// properties matter and why. Asset hashes are normalised by test/support/asset-hash-serializer.js.
const t = sharedTemplates();

test.each([
  ['data-primary', t.dataPrimary],
  ['data-standby', t.dataStandby],
  ['hosting-primary', t.hostingPrimary],
  ['hosting-standby', t.hostingStandby],
  ['global-dns', t.global],
  ['recovery-primary', t.recoveryPrimary],
  ['recovery-standby', t.recoveryStandby],
  ['readiness', t.readiness],
])('%s template matches the snapshot', (_name, template) => {
  expect(template.toJSON()).toMatchSnapshot();
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
