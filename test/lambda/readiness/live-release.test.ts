import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { liveRelease } from '../../../lambda/lib/readiness/live-release';
import { NOW, readyWorld } from './fixtures';

const parameter = '/portfolio/live-release';

describe('live-release', () => {
  test('the same release in both parameters and identical objects under its prefix: ok', async () => {
    const world = readyWorld();
    // Outside the live release: ignored by this check (replication-drift reports it).
    world.buckets['standby-bucket']['releases/v0/index.html'] = { etag: '"other"', size: 99 };
    const r = await liveRelease(world.deps, NOW);
    expect(r).toEqual({
      check: 'live-release',
      ok: true,
      summary: 'both regions hold the live release v1 identically (3 objects)',
      details: {
        parameter,
        releases: { primary: 'v1', standby: 'v1' },
        prefix: 'releases/v1/',
        counts: { compared: 3, missing: 0, extra: 0, differing: 0, unverifiable: 0, copied: 0 },
        missing: [],
        differing: [],
        extra: [],
      },
    });
    const prefixes = world.mocks.s3.primary.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix);
    expect(prefixes).toContain('releases/v1/');
  });

  test.each([
    [
      'different releases',
      'v1',
      'v0',
      'the live release parameter /portfolio/live-release differs: "v1" in us-east-1, "v0" in us-west-2',
    ],
    [
      'an empty parameter',
      undefined,
      undefined,
      'the live release parameter /portfolio/live-release differs: "" in us-east-1, "" in us-west-2',
    ],
  ])('%s: fails without listing', async (_, primary, standby, summary) => {
    const world = readyWorld();
    world.mocks.ssm.primary.on(GetParameterCommand, { Name: parameter }).resolves({ Parameter: { Value: primary } });
    world.mocks.ssm.standby.on(GetParameterCommand, { Name: parameter }).resolves({ Parameter: { Value: standby } });
    const r = await liveRelease(world.deps, NOW);
    expect(r).toEqual({
      check: 'live-release',
      ok: false,
      summary,
      details: { parameter, releases: { primary: primary ?? '', standby: standby ?? '' } },
    });
    expect(world.mocks.s3.primary.calls()).toHaveLength(0);
  });

  test('an object of the live release changed in the primary, deleted in the standby, added in the standby: fails', async () => {
    const world = readyWorld();
    world.buckets['primary-bucket']['releases/v1/index.html'] = { etag: '"defaced"', size: 30 };
    delete world.buckets['standby-bucket']['releases/v1/style.css'];
    world.buckets['standby-bucket']['releases/v1/x.js'] = { etag: '"x"', size: 1 };
    const r = await liveRelease(world.deps, NOW);
    expect(r.ok).toBe(false);
    expect(r.summary).toBe(
      'the live release v1 differs between the regions under releases/v1/: 1 missing, 1 differing, 1 extra in the standby bucket standby-bucket',
    );
    expect(r.details).toMatchObject({
      missing: ['releases/v1/style.css'],
      differing: ['releases/v1/index.html'],
      extra: ['releases/v1/x.js'],
    });
  });

  test('a live release with no objects in either bucket fails', async () => {
    const world = readyWorld();
    for (const role of ['primary', 'standby'] as const) {
      world.mocks.ssm[role].on(GetParameterCommand, { Name: parameter }).resolves({ Parameter: { Value: 'gone' } });
    }
    const r = await liveRelease(world.deps, NOW);
    expect(r).toMatchObject({
      ok: false,
      summary: 'the live release gone has no objects under releases/gone/ in either bucket',
      details: { counts: { compared: 0 } },
    });
  });

  test.each<[string, Record<string, string[]>, string]>([
    [
      'one missing and one extra',
      { missing: ['releases/v1/new.js'], extra: ['releases/v1/stray.txt'] },
      '1 missing, 0 differing, 1 extra',
    ],
    [
      'one missing and one differing',
      { missing: ['releases/v1/new.js'], differing: ['releases/v1/style.css'] },
      '1 missing, 1 differing, 0 extra',
    ],
  ])('%s under the live release: fails, and neither bucket is written to', async (_name, drift, counts) => {
    const world = readyWorld();
    const primary = world.buckets['primary-bucket'];
    for (const key of drift.missing ?? []) primary[key] = { etag: '"n"', size: 1 };
    for (const key of drift.differing ?? []) primary[key] = { etag: '"new"', size: 41 };
    for (const key of drift.extra ?? []) world.buckets['standby-bucket'][key] = { etag: '"x"', size: 1 };
    const r = await liveRelease(world.deps, NOW);
    expect(r.check).toBe('live-release');
    expect(r.ok).toBe(false);
    expect(r.summary).toBe(
      `the live release v1 differs between the regions under releases/v1/: ${counts} in the standby bucket standby-bucket`,
    );
    for (const role of ['primary', 'standby'] as const) {
      expect(world.mocks.s3[role].calls().every((c) => c.args[0] instanceof ListObjectsV2Command)).toBe(true);
    }
  });

  test('a live release with no objects in either bucket fails, named live-release', async () => {
    const world = readyWorld();
    world.mocks.ssm.primary.on(GetParameterCommand, { Name: parameter }).resolves({ Parameter: { Value: 'v9' } });
    world.mocks.ssm.standby.on(GetParameterCommand, { Name: parameter }).resolves({ Parameter: { Value: 'v9' } });
    const r = await liveRelease(world.deps, NOW);
    expect(r).toMatchObject({
      check: 'live-release',
      ok: false,
      summary: 'the live release v9 has no objects under releases/v9/ in either bucket',
    });
  });
});
