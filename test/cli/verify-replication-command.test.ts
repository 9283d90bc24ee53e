import { verifyReplication } from '../../lambda/lib/replication/verify';
import { contents, del, motoS3, newBucket, put } from '../../tools/test-support/s3-fixtures';
import { drctl } from '../support/drctl';

const s3 = motoS3();
const endpoint = () => ['--endpoint-url', process.env.MOTO_ENDPOINT!, '--region', 'us-east-1'];

async function pair() {
  const source = await newBucket(s3);
  const replica = await newBucket(s3);
  for (const k of ['a.html', 'b.html', 'c.css', 'd.js']) {
    await put(s3, source, k, `content ${k}`);
    await put(s3, replica, k, `content ${k}`);
  }
  return { source, replica };
}

describe('drctl verify-replication (moto)', () => {
  test('in sync: exit 0, nothing missing', async () => {
    const { source, replica } = await pair();
    const r = await drctl('verify-replication', '--source', source, '--replica', replica, '--json', ...endpoint());
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ status: 'in-sync', counts: { compared: 4, missing: 0, extra: 0, differing: 0 } });
    expect(result.oldestUnreplicated).toBeUndefined();
    expect(result.calls).toEqual({ ListObjectsV2: 2 });
  });

  test('drift: reports missing, differing and extra keys and the oldest unreplicated write; exit 1', async () => {
    const { source, replica } = await pair();
    await put(s3, source, 'b.html', 'changed in the source');
    await put(s3, source, 'e-new.html', 'not replicated');
    await del(s3, replica, 'c.css');
    await put(s3, replica, 'z-extra.txt', 'only in the replica');
    const r = await drctl('verify-replication', '--source', source, '--replica', replica, ...endpoint());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Compared 6 keys: 2 missing, 1 differing, 1 extra in the replica.');
    expect(r.stdout).toContain('  missing   c.css');
    expect(r.stdout).toContain('  missing   e-new.html');
    expect(r.stdout).toContain('  differing b.html');
    expect(r.stdout).toContain('  extra     z-extra.txt (kept)');
    // All writes fall in the same second here, so any of the three may be reported as the oldest.
    expect(r.stdout).toMatch(/Oldest unreplicated write: (b\.html|c\.css|e-new\.html) at \S+ \(\d+ s ago\)/);
    expect(r.stdout).toContain('Run again with --apply');
  });

  test('--apply copies what is missing or different, keeps extras and still reports drift for them', async () => {
    const { source, replica } = await pair();
    await put(s3, source, 'b.html', 'changed in the source');
    await del(s3, replica, 'c.css');
    await put(s3, replica, 'z-extra.txt', 'only in the replica');
    const r = await drctl(
      'verify-replication',
      '--source',
      source,
      '--replica',
      replica,
      '--apply',
      '--json',
      ...endpoint(),
    );
    // The copies are made, but the extra object is kept: drift remains, exit 1 (failback would refuse).
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'drift', counts: { copied: 2, extra: 1 } });
    const replicaNow = await contents(s3, replica);
    expect(replicaNow['b.html']).toBe('changed in the source');
    expect(replicaNow['c.css']).toBe('content c.css');
    expect(replicaNow['z-extra.txt']).toBe('only in the replica');

    const again = await drctl('verify-replication', '--source', source, '--replica', replica, '--json', ...endpoint());
    expect(JSON.parse(again.stdout).counts).toMatchObject({ missing: 0, differing: 0, extra: 1 });
  });

  test('listings of several pages are merged in key order', async () => {
    const source = await newBucket(s3);
    const replica = await newBucket(s3);
    for (let i = 0; i < 25; i++) {
      await put(s3, source, `k${String(i).padStart(2, '0')}`, 'x');
      if (i % 5 !== 0) await put(s3, replica, `k${String(i).padStart(2, '0')}`, 'x');
    }
    const result = await verifyReplication(
      { source, replica, apply: false },
      { sourceS3: s3, replicaS3: s3, pageSize: 4 },
    );
    expect(result.counts).toMatchObject({ compared: 25, missing: 5, extra: 0, differing: 0 });
    expect(result.calls.ListObjectsV2).toBe(7 + 5);
  });
});
