import { CopyObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { verifyReplication } from '../../../lambda/lib/replication/verify';
import { fakeListingS3, type FakeObject, obj } from '../../support/fake-s3';

// verify-replication over fake listings that page as S3 does (test/support/fake-s3.ts): the
// comparison must hold however the two listings are cut into pages, and a dry run writes nothing.

const MULTIPART = '"0123456789abcdef0123456789abcdef-12"';

/** A clock that moves one second each time it is read. */
function ticking(start = '2026-11-28T10:00:00Z') {
  let t = Date.parse(start);
  return () => new Date((t += 1000) - 1000);
}

function setup(
  source: FakeObject[],
  replica: FakeObject[],
  failCopy?: Record<string, { name: string; message: string }>,
) {
  const src = fakeListingS3({ site: source });
  const dst = fakeListingS3({ replica }, { failCopy });
  return { src, dst, deps: { sourceS3: src.client, replicaS3: dst.client, now: ticking() } };
}

/** A drifted pair: every kind of difference, interleaved so that the merge must walk both listings. */
function drifted() {
  const source = [
    obj('a.html'),
    obj('b.html', { lastModified: '2026-11-28T09:30:00Z' }), // missing in the replica
    obj('c.css'),
    obj('d.js', { lastModified: '2026-11-28T08:15:00Z' }), // differing: other content, same size
    obj('e.png', { size: 200 }), // differing: other size
    obj('f.zip', { etag: MULTIPART, size: 300 }), // multipart, same size: cannot tell
    obj('g.txt', { lastModified: '2026-11-28T09:45:00Z' }), // missing (last)
  ];
  const replica = [
    obj('a.html'),
    obj('c.css'),
    obj('cc-extra.html'), // extra, between two common keys
    obj('d.js', { etag: '"ffffffffffffffffffffffffffffffff"' }),
    obj('e.png', { size: 199 }),
    obj('f.zip', { etag: '"00000000000000000000000000000000"', size: 300 }),
    obj('zz-extra.html'), // extra, after the source ends
  ];
  return { source, replica };
}

describe('verify replication', () => {
  test.each([1, 2, 3, 1000])(
    'identical buckets listed %p key(s) a page are in sync: nothing reported, nothing written',
    async (pageSize) => {
      const objects = ['a', 'b/c', 'b/d', 'e', 'é'].map((k) => obj(k));
      const { dst, deps } = setup(objects, objects);
      const result = await verifyReplication(
        { source: 'site', replica: 'replica', apply: true },
        { ...deps, pageSize },
      );
      expect(result).toMatchObject({
        status: 'in-sync',
        dryRun: false,
        counts: { compared: 5, missing: 0, extra: 0, differing: 0, unverifiable: 0, copied: 0 },
        missing: [],
        extra: [],
        differing: [],
        oldestUnreplicated: undefined,
        failures: [],
      });
      const pages = Math.max(1, Math.ceil(5 / pageSize));
      expect(result.calls).toEqual({ ListObjectsV2: 2 * pages });
      expect(dst.copies).toEqual([]);
    },
  );

  test('a dry run reports missing, differing and extra objects, and the oldest unreplicated write, writing nothing', async () => {
    const { source, replica } = drifted();
    const { src, dst, deps } = setup(source, replica);
    const result = await verifyReplication(
      { source: 'site', replica: 'replica', apply: false },
      { ...deps, pageSize: 2 },
    );
    expect(result.status).toBe('drift');
    expect(result.dryRun).toBe(true);
    expect(result.counts).toEqual({ compared: 9, missing: 2, extra: 2, differing: 2, unverifiable: 1, copied: 0 });
    expect(result.missing.map((o) => o.key)).toEqual(['b.html', 'g.txt']);
    expect(result.differing.map((o) => o.key)).toEqual(['d.js', 'e.png']);
    expect(result.extra.map((o) => o.key)).toEqual(['cc-extra.html', 'zz-extra.html']);
    // The samples are the source's objects (what a repair copies), with what the listing said.
    expect(result.differing[1]).toEqual({
      key: 'e.png',
      etag: source[4].etag,
      size: 200,
      lastModified: source[4].lastModified,
    });
    // d.js (08:15) is older than b.html (09:30) and g.txt (09:45); the age is taken at the end (10:00:02).
    expect(result.oldestUnreplicated).toEqual({
      key: 'd.js',
      lastModified: '2026-11-28T08:15:00.000Z',
      ageSeconds: 6302,
    });
    expect(result.calls).toEqual({ ListObjectsV2: 8 });
    expect(result.failures).toEqual([]);
    expect(src.mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(dst.mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(result.timeline).toEqual([
      {
        at: '2026-11-28T10:00:01.000Z',
        event: 'verify started',
        detail: { source: 'site', replica: 'replica', apply: false },
      },
      {
        at: '2026-11-28T10:00:03.000Z',
        event: 'verify drift',
        detail: { compared: 9, missing: 2, extra: 2, differing: 2, unverifiable: 1, copied: 0 },
      },
    ]);
    expect(result.seconds).toBe(2);
  });

  test('the oldest unreplicated write is the oldest whichever order the keys come in', async () => {
    const { deps } = setup(
      [
        obj('a', { lastModified: '2026-11-28T09:50:00Z' }),
        obj('b', { lastModified: '2026-11-28T09:00:00Z' }),
        obj('c', { lastModified: '2026-11-28T09:59:00Z' }),
      ],
      [],
    );
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(result.oldestUnreplicated).toMatchObject({ key: 'b', lastModified: '2026-11-28T09:00:00.000Z' });
  });

  test('of two unreplicated writes in the same second, the first listed is the oldest', async () => {
    const same = '2026-11-28T09:00:00Z';
    const { deps } = setup([obj('a', { lastModified: same }), obj('b', { lastModified: same })], []);
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(result.oldestUnreplicated).toMatchObject({ key: 'a' });
  });

  test('one missing and one extra object are drift, not in sync', async () => {
    const { deps } = setup([obj('a')], [obj('b')]);
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(result.status).toBe('drift');
  });

  test('an object listed without LastModified does not stand for the oldest write', async () => {
    const { deps } = setup(
      [{ key: 'a', etag: '"aa"', size: 1 }, obj('b', { lastModified: '2026-11-28T09:00:00Z' })],
      [],
    );
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(result.counts.missing).toBe(2);
    expect(result.oldestUnreplicated).toBeUndefined();
  });

  test('apply copies what is missing or different from the source, keeping metadata and tags; extras stay and remain drift', async () => {
    const { source, replica } = drifted();
    const { src, dst, deps } = setup(source, replica);
    const result = await verifyReplication(
      { source: 'site', replica: 'replica', apply: true },
      { ...deps, pageSize: 3 },
    );
    expect(dst.copies).toEqual(
      ['b.html', 'd.js', 'e.png', 'g.txt'].map((Key) => ({
        Bucket: 'replica',
        Key,
        CopySource: `site/${Key}`,
        MetadataDirective: 'COPY',
        TaggingDirective: 'COPY',
      })),
    );
    expect(src.mock.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(result).toMatchObject({ status: 'drift', dryRun: false, failures: [] });
    expect(result.counts).toMatchObject({ missing: 2, differing: 2, extra: 2, copied: 4 });
    expect(result.calls).toEqual({ CopyObject: 4, ListObjectsV2: 6 });
    expect(result.timeline[0]).toMatchObject({ event: 'verify and repair started' });
    expect(result.timeline[1]).toMatchObject({ event: 'verify drift' });
  });

  test('apply without extras repairs: every missing and differing object copied', async () => {
    const { deps, dst } = setup(
      [obj('a'), obj('b/c d.html'), obj('c', { size: 5 })],
      [obj('a'), obj('c', { size: 6 })],
    );
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: true }, deps);
    expect(result.status).toBe('repaired');
    expect(result.counts).toMatchObject({ missing: 1, differing: 1, copied: 2 });
    expect(dst.copies.map((c) => c.CopySource)).toEqual(['site/b/c%20d.html', 'site/c']);
    expect(result.timeline[1]).toMatchObject({ event: 'verify repaired' });
  });

  test('a copy S3 refuses is a failure naming the key and the error, and the others still run', async () => {
    const { deps, dst } = setup([obj('a'), obj('b'), obj('c')], [], {
      b: { name: 'AccessDenied', message: 'Access Denied' },
    });
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: true }, deps);
    expect(dst.copies.map((c) => c.Key)).toEqual(['a', 'b', 'c']);
    expect(result.status).toBe('failed');
    expect(result.counts.copied).toBe(2);
    expect(result.failures).toEqual([
      { key: 'b', operation: 'CopyObject', code: 'AccessDenied', message: 'Access Denied' },
    ]);
  });

  test('a failure carrying an S3 Code reports that code', async () => {
    const { deps, dst } = setup([obj('a')], []);
    dst.mock
      .on(CopyObjectCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'S3ServiceException', Code: 'SlowDown' }));
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: true }, deps);
    expect(result.failures).toEqual([{ key: 'a', operation: 'CopyObject', code: 'SlowDown', message: 'slow down' }]);
  });

  test('a failure without a code or message is reported as Error', async () => {
    const { deps, dst } = setup([obj('a')], []);
    dst.mock.on(CopyObjectCommand).rejects({});
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: true }, deps);
    expect(result.failures).toEqual([{ key: 'a', operation: 'CopyObject', code: 'Error', message: '' }]);
  });

  test('multipart ETags with equal sizes are unverifiable, not drift; with other sizes they differ', async () => {
    const { deps } = setup(
      [
        obj('m1', { etag: MULTIPART, size: 10 }),
        obj('m2', { etag: MULTIPART, size: 10 }),
        obj('m3', { etag: '"aa"', size: 10 }),
      ],
      [
        obj('m1', { etag: '"bb"', size: 10 }),
        obj('m2', { etag: MULTIPART, size: 11 }),
        obj('m3', { etag: MULTIPART, size: 10 }),
      ],
    );
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(result.status).toBe('drift');
    expect(result.counts).toMatchObject({ unverifiable: 2, differing: 1 });
    expect(result.differing.map((o) => o.key)).toEqual(['m2']);
  });

  test('only unverifiable objects: in sync', async () => {
    const { deps } = setup([obj('m', { etag: MULTIPART, size: 10 })], [obj('m', { etag: '"bb"', size: 10 })]);
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(result.status).toBe('in-sync');
    expect(result.counts.unverifiable).toBe(1);
  });

  test('samples are capped at sampleSize, counts are not', async () => {
    const source = Array.from({ length: 7 }, (_, i) => obj(`k${i}`));
    const replica = Array.from({ length: 5 }, (_, i) => obj(`x${i}`));
    const { deps } = setup(source, replica);
    const result = await verifyReplication(
      { source: 'site', replica: 'replica', apply: false },
      { ...deps, sampleSize: 3 },
    );
    expect(result.counts).toMatchObject({ missing: 7, extra: 5 });
    expect(result.missing.map((o) => o.key)).toEqual(['k0', 'k1', 'k2']);
    expect(result.extra.map((o) => o.key)).toEqual(['x0', 'x1', 'x2']);
  });

  test('samples default to 50', async () => {
    const source = Array.from({ length: 60 }, (_, i) => obj(`k${String(i).padStart(2, '0')}`, { size: 1 }));
    const { deps } = setup(
      source,
      source.map((o) => ({ ...o, size: 2 })),
    );
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(result.counts.differing).toBe(60);
    expect(result.differing).toHaveLength(50);
  });

  test('progress is reported every 1,000 keys compared', async () => {
    const source = Array.from({ length: 2500 }, (_, i) => obj(`k${String(i).padStart(4, '0')}`));
    const { deps } = setup(source, source);
    const seen: number[] = [];
    const result = await verifyReplication(
      { source: 'site', replica: 'replica', apply: false },
      { ...deps, onProgress: (n) => seen.push(n) },
    );
    expect(seen).toEqual([1000, 2000]);
    // S3's default page is 1,000 keys: three pages each side.
    expect(result.calls).toEqual({ ListObjectsV2: 6 });
    // Progress is optional (the readiness checks pass none).
    const quiet = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(quiet.counts.compared).toBe(2500);
  });

  test('a prefix limits both listings and is reported', async () => {
    const { src, dst, deps } = setup(
      [obj('releases/r1/index.html'), obj('releases/r2/index.html')],
      [obj('releases/r1/index.html'), obj('other.html')],
    );
    const result = await verifyReplication(
      { source: 'site', replica: 'replica', prefix: 'releases/r1/', apply: false },
      deps,
    );
    expect(result).toMatchObject({ status: 'in-sync', prefix: 'releases/r1/', source: 'site', replica: 'replica' });
    expect(src.mock.commandCalls(ListObjectsV2Command)[0].args[0].input).toMatchObject({
      Bucket: 'site',
      Prefix: 'releases/r1/',
    });
    expect(dst.mock.commandCalls(ListObjectsV2Command)[0].args[0].input).toMatchObject({
      Bucket: 'replica',
      Prefix: 'releases/r1/',
    });
  });

  test('an empty source and replica are in sync after one listing each', async () => {
    const { deps } = setup([], []);
    const result = await verifyReplication({ source: 'site', replica: 'replica', apply: false }, deps);
    expect(result).toMatchObject({ status: 'in-sync', counts: { compared: 0 }, calls: { ListObjectsV2: 2 } });
  });

  test('without a clock it uses the time of day', async () => {
    const src = fakeListingS3({ site: [obj('a', { lastModified: '2000-01-01T00:00:00Z' })] });
    const dst = fakeListingS3({ replica: [] });
    const before = Date.now();
    const result = await verifyReplication(
      { source: 'site', replica: 'replica', apply: false },
      { sourceS3: src.client, replicaS3: dst.client },
    );
    const expected = Math.round((before - Date.parse('2000-01-01T00:00:00Z')) / 1000);
    expect(result.oldestUnreplicated!.ageSeconds).toBeGreaterThanOrEqual(expected);
    expect(result.oldestUnreplicated!.ageSeconds).toBeLessThan(expected + 60);
    expect(Date.parse(result.timeline[0].at)).toBeGreaterThanOrEqual(before - 1000);
  });
});
