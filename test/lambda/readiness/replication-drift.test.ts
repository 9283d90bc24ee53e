import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { replicationDrift, s3Drift } from '../../../lambda/lib/readiness/replication-drift';
import { NOW, readyWorld } from './fixtures';

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe('replication-drift', () => {
  test('identical buckets: ok', async () => {
    const world = readyWorld();
    const r = await replicationDrift(world.deps, NOW);
    expect(r).toMatchObject({
      check: 'replication-drift',
      ok: true,
      summary: "5 objects compared: the standby holds the primary's content",
      details: { source: 'primary-bucket', replica: 'standby-bucket', rpoSeconds: 1800, missing: [], extra: [] },
    });
    // Streamed without apply: listings only, nothing copied.
    expect(world.mocks.s3.standby.calls().every((c) => c.args[0] instanceof ListObjectsV2Command)).toBe(true);
  });

  test('missing, differing and extra objects: fails with counts, keys and the oldest unreplicated write', async () => {
    const world = readyWorld();
    const primary = world.buckets['primary-bucket'];
    const standby = world.buckets['standby-bucket'];
    primary['releases/v2/index.html'] = { etag: '"n"', size: 1, lastModified: minutesAgo(5) };
    primary['robots.txt'] = { etag: '"r2"', size: 6, lastModified: minutesAgo(2) };
    standby['stray.txt'] = { etag: '"x"', size: 1 };
    const r = await replicationDrift(world.deps, NOW);
    expect(r.ok).toBe(false);
    expect(r.summary).toBe(
      '1 missing, 1 differing, 1 extra in the standby bucket standby-bucket; oldest unreplicated write releases/v2/index.html is 300 s old (RPO 1800 s)',
    );
    expect(r.details).toMatchObject({
      missing: ['releases/v2/index.html'],
      differing: ['robots.txt'],
      extra: ['stray.txt'],
      counts: { compared: 7, missing: 1, differing: 1, extra: 1 },
    });
  });

  test('an unreplicated write older than the RPO says so', async () => {
    const world = readyWorld();
    world.buckets['primary-bucket']['late.html'] = { etag: '"l"', size: 1, lastModified: minutesAgo(45) };
    const r = await replicationDrift(world.deps, NOW);
    expect(r.summary).toBe(
      '1 missing, 0 differing, 0 extra in the standby bucket standby-bucket; oldest unreplicated write late.html is 2700 s old (RPO 1800 s, EXCEEDED)',
    );
  });

  test('exactly the RPO old is not reported as exceeded', async () => {
    const world = readyWorld();
    world.buckets['primary-bucket']['late.html'] = { etag: '"l"', size: 1, lastModified: minutesAgo(30) };
    expect((await replicationDrift(world.deps, NOW)).summary).toBe(
      '1 missing, 0 differing, 0 extra in the standby bucket standby-bucket; oldest unreplicated write late.html is 1800 s old (RPO 1800 s)',
    );
  });

  test('only extras: no unreplicated write to report', async () => {
    const world = readyWorld();
    world.buckets['standby-bucket']['stray.txt'] = { etag: '"x"', size: 1 };
    const r = await replicationDrift(world.deps, NOW);
    expect(r.summary).toBe('0 missing, 0 differing, 1 extra in the standby bucket standby-bucket');
    expect(r.details.oldestUnreplicated).toBeUndefined();
  });

  test('a bucket name missing from SSM: the check throws, naming the parameter', async () => {
    const world = readyWorld();
    world.mocks.ssm.standby.on(GetParameterCommand).resolves({});
    await expect(replicationDrift(world.deps, NOW)).rejects.toThrow(
      'SSM parameter /portfolio/site-bucket-name is empty in us-west-2',
    );
  });

  test('s3Drift', () => {
    expect(s3Drift({ missing: 1, differing: 2, extra: 3 })).toBe('1 missing, 2 differing, 3 extra');
  });

  test.each<[string, Record<string, string[]>, string]>([
    ['one missing and one extra', { missing: ['late.html'], extra: ['stray.txt'] }, '1 missing, 0 differing, 1 extra'],
    [
      'one missing and one differing',
      { missing: ['late.html'], differing: ['robots.txt'] },
      '1 missing, 1 differing, 0 extra',
    ],
  ])('%s: fails, and neither bucket is written to (read only, whatever the drift)', async (_name, drift, counts) => {
    const world = readyWorld();
    const primary = world.buckets['primary-bucket'];
    for (const key of drift.missing ?? []) primary[key] = { etag: '"l"', size: 1, lastModified: minutesAgo(1) };
    for (const key of drift.differing ?? []) primary[key] = { etag: '"new"', size: 5, lastModified: minutesAgo(1) };
    for (const key of drift.extra ?? []) world.buckets['standby-bucket'][key] = { etag: '"x"', size: 1 };
    const r = await replicationDrift(world.deps, NOW);
    expect(r.check).toBe('replication-drift');
    expect(r.ok).toBe(false);
    expect(r.summary).toMatch(new RegExp(`^${counts} in the standby bucket standby-bucket`));
    for (const role of ['primary', 'standby'] as const) {
      expect(world.mocks.s3[role].calls().every((c) => c.args[0] instanceof ListObjectsV2Command)).toBe(true);
    }
  });
});
