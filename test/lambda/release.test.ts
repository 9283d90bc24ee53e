import {
  APIGatewayClient,
  GetBasePathMappingsCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { contentTypeFor, hiddenPart, publishRelease, ReleaseInputError, switchRelease } from '../../lambda/lib/release';
import { systemClock } from '../../lambda/lib/clock';
import { deployment, fakeFetch } from '../support/deployment';

// A real wait in a test that gave switchRelease its own sleep would hang it: fail at once instead.
// Likewise a probe that left the test's fetch behind would wait on the real network.
let realSleepGuard: jest.SpyInstance;
let realFetchGuard: jest.SpyInstance;
beforeEach(() => {
  realSleepGuard = jest.spyOn(systemClock, 'sleep').mockImplementation(() => {
    throw new Error('a real wait although the test gave the release switch its own sleep');
  });
  realFetchGuard = jest.spyOn(global, 'fetch').mockRejectedValue(new Error('a real request in a test'));
});
afterEach(() => {
  realSleepGuard.mockRestore();
  realFetchGuard.mockRestore();
  jest.useRealTimers();
});

/** A test clock: each read moves it on by `step` ms (so durations are not all 0); sleep moves it on at once. */
function clock(step = 0, start = Date.parse('2026-11-28T10:00:00Z')) {
  let t = start;
  let sleeps = 0;
  return {
    now: () => new Date((t += step) - step),
    sleep: async (ms: number) => {
      if (++sleeps > 100) throw new Error('slept 100 times: the validation loop does not end');
      t += ms;
    },
  };
}

function setup(
  live = 'r2',
  present = ['r1', 'r2'],
  stageOverride: Partial<Record<'primary' | 'standby', string>> = {},
) {
  const ssm = { primary: new SSMClient({}), standby: new SSMClient({}) };
  const s3 = { primary: new S3Client({}), standby: new S3Client({}) };
  const apigw = { primary: new APIGatewayClient({}), standby: new APIGatewayClient({}) };
  const m = {
    ssm: { primary: mockClient(ssm.primary), standby: mockClient(ssm.standby) },
    s3: { primary: mockClient(s3.primary), standby: mockClient(s3.standby) },
    apigw: { primary: mockClient(apigw.primary), standby: mockClient(apigw.standby) },
  };
  for (const role of ['primary', 'standby'] as const) {
    m.ssm[role].on(GetParameterCommand, { Name: '/portfolio/live-release' }).resolves({ Parameter: { Value: live } });
    m.ssm[role]
      .on(GetParameterCommand, { Name: '/portfolio/site-bucket-name' })
      .resolves({ Parameter: { Value: `${role}-bucket` } });
    m.s3[role]
      .on(ListObjectsV2Command)
      .callsFake((input) => ({ KeyCount: present.some((r) => input.Prefix === `releases/${r}/healthz`) ? 1 : 0 }));
    m.apigw[role].on(GetBasePathMappingsCommand).resolves({ items: [{ restApiId: `api-${role}`, stage: 'live' }] });
    m.apigw[role]
      .on(GetStageCommand, { restApiId: `api-${role}`, stageName: 'live' })
      .resolves({ variables: { release: stageOverride[role] ?? live } });
  }
  historyPages(m.ssm.primary, [
    [
      { Version: 1, Value: 'bootstrap' },
      { Version: 2, Value: 'r1' },
    ],
    [{ Version: 3, Value: 'r2' }],
  ]);
  // A switch that validates although the test expects none (a dry run) fails at once, not on a DNS lookup.
  return { ssm, s3, apigw, m, fetch: fakeFetch({}).fetch };
}

/** GetParameterHistory answering page after page (oldest first, as SSM does), chained by NextToken. */
function historyPages(ssm: ReturnType<typeof mockClient>, pages: { Version: number; Value: string }[][]) {
  ssm.on(GetParameterHistoryCommand).callsFake((input: { NextToken?: string }) => {
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return {
      Parameters: pages[index],
      NextToken: index + 1 < pages.length ? String(index + 1) : undefined,
    };
  });
}

const serving = (release: string) =>
  fakeFetch(
    Object.fromEntries(
      ['us-east-1', 'us-west-2'].flatMap((r) => [
        [`https://${r}.www.example.com/healthz`, [200, `portfolio-ok release=${release}\n`]],
        [`https://${r}.www.example.com/`, [200, '<html>', { 'x-release': release }]],
      ]),
    ),
  );

describe('release switch', () => {
  test('rollback (no --to) goes to the previous live release in both regions, then validates', async () => {
    const c = setup();
    const result = await switchRelease({ apply: true }, { deployment, ...c, fetch: serving('r1').fetch });
    expect(result).toMatchObject({ status: 'done', from: { primary: 'r2', standby: 'r2' }, to: 'r1' });
    for (const role of ['primary', 'standby'] as const) {
      expect(c.m.apigw[role].commandCalls(UpdateStageCommand)[0].args[0].input).toEqual({
        restApiId: `api-${role}`,
        stageName: 'live',
        patchOperations: [{ op: 'replace', path: '/variables/release', value: 'r1' }],
      });
      expect(c.m.ssm[role].commandCalls(PutParameterCommand)[0].args[0].input).toMatchObject({
        Name: '/portfolio/live-release',
        Value: 'r1',
        Overwrite: true,
      });
    }
    expect(result.validation.primary).toMatchObject({ ok: true });
  });

  test('the previous release is found on any page of the parameter history', async () => {
    const c = setup('r3', ['r1', 'r2', 'r3']);
    historyPages(c.m.ssm.primary, [
      [
        { Version: 1, Value: 'bootstrap' },
        { Version: 2, Value: 'r1' },
      ],
      [
        { Version: 3, Value: 'r2' },
        { Version: 4, Value: 'r3' },
      ],
    ]);
    const result = await switchRelease({ apply: false }, { deployment, ...c });
    expect(result).toMatchObject({ status: 'planned', to: 'r2' });
    expect(c.m.ssm.primary.commandCalls(GetParameterHistoryCommand)).toHaveLength(2);
  });

  test('a release id read back from the parameter history is validated before use', async () => {
    const c = setup();
    historyPages(c.m.ssm.primary, [
      [
        { Version: 1, Value: 'r1' },
        { Version: 2, Value: '../../evil' },
      ],
      [{ Version: 3, Value: 'r2' }],
    ]);
    await expect(switchRelease({ apply: true }, { deployment, ...c })).rejects.toThrow(
      new ReleaseInputError(
        'parameter /portfolio/live-release, version 2: got "../../evil", expected a release id (letters, digits, . _ -, at most 64); name the release to make live with "to"',
      ),
    );
    expect(c.m.s3.primary.commandCalls(ListObjectsV2Command)).toHaveLength(0);
    expect(c.m.apigw.primary.commandCalls(UpdateStageCommand)).toHaveLength(0);
    await expect(switchRelease({ apply: true }, { deployment, ...c })).rejects.toMatchObject({ field: 'to' });
  });

  test('a dry run changes nothing', async () => {
    const c = setup();
    const result = await switchRelease({ to: 'r1', apply: false }, { deployment, ...c });
    expect(result).toMatchObject({ status: 'planned', message: 'would switch primary and standby to r1' });
    expect(c.m.apigw.primary.commandCalls(UpdateStageCommand)).toHaveLength(0);
  });

  test('idempotent: a region already on the release is left alone', async () => {
    const c = setup('r1');
    const result = await switchRelease({ to: 'r1', apply: true }, { deployment, ...c, fetch: serving('r1').fetch });
    expect(result.status).toBe('already');
    expect(c.m.apigw.primary.commandCalls(UpdateStageCommand)).toHaveLength(0);
  });

  test('a stage variable out of step with its parameter is repaired, not reported as "already"', async () => {
    // The parameter says r1 everywhere, but the standby's stage still serves r2 (a stack rollback).
    const c = setup('r1', ['r1', 'r2'], { standby: 'r2' });
    const dry = await switchRelease({ to: 'r1', apply: false }, { deployment, ...c });
    expect(dry).toMatchObject({ status: 'planned', from: { primary: 'r1', standby: 'r2' } });
    expect(dry.timeline.map((e) => e.event)).toContain('stage variable and parameter disagree');
    const result = await switchRelease({ to: 'r1', apply: true }, { deployment, ...c, fetch: serving('r1').fetch });
    expect(result.status).toBe('done');
    expect(c.m.apigw.primary.commandCalls(UpdateStageCommand)).toHaveLength(0);
    expect(c.m.apigw.standby.commandCalls(UpdateStageCommand)[0].args[0].input.patchOperations).toEqual([
      { op: 'replace', path: '/variables/release', value: 'r1' },
    ]);
  });

  test('a release missing in a region (not replicated yet) is refused before anything changes', async () => {
    const c = setup('r2', ['r2']);
    await expect(switchRelease({ to: 'r1', apply: true }, { deployment, ...c })).rejects.toThrow(
      new ReleaseInputError(
        'release "r1" is not in the primary bucket (us-east-1): publish it first, or wait for replication',
      ),
    );
    expect(c.m.apigw.primary.commandCalls(UpdateStageCommand)).toHaveLength(0);
  });

  test('a region that does not serve the release within the wait is a failure, with details', async () => {
    const c = setup();
    let t = 0;
    const result = await switchRelease(
      { to: 'r1', apply: true },
      {
        deployment,
        ...c,
        fetch: serving('r2').fetch,
        validateSeconds: 10,
        now: () => new Date(t),
        sleep: async (ms) => {
          if (t >= 60_000) throw new Error('still validating after a minute: the loop does not end');
          t += ms;
        },
      },
    );
    expect(result.status).toBe('failed');
    expect(t).toBe(10_000);
    expect(result.validation.primary.detail).toBe(
      'https://us-east-1.www.example.com/healthz: body does not contain "portfolio-ok release=r1"',
    );
  });

  test('publish uploads files then healthz to the primary bucket, and refuses an existing id', async () => {
    const c = setup();
    c.m.s3.primary.on(PutObjectCommand).resolves({});
    const files = [{ path: 'index.html', body: new TextEncoder().encode('<h1>hi</h1>'), contentType: 'text/html' }];
    const done = await publishRelease({ release: 'r3', files, apply: true }, { deployment, ...c });
    expect(done.keys).toEqual(['releases/r3/index.html', 'releases/r3/healthz']);
    const puts = c.m.s3.primary.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(puts).toEqual(['releases/r3/index.html', 'releases/r3/healthz']);
    await expect(publishRelease({ release: 'r2', files, apply: true }, { deployment, ...c })).rejects.toThrow(
      'release "r2" already exists: releases are immutable, choose a new id',
    );
  });

  test('publish leaves dotfiles and dot-directories out unless asked, and says what it left out', async () => {
    const c = setup();
    c.m.s3.primary.on(PutObjectCommand).resolves({});
    const file = (path: string) => ({ path, body: new TextEncoder().encode(path), contentType: 'text/plain' });
    const files = ['index.html', '.env', '.git/config', '.git/objects/ab/cd', 'assets/.DS_Store', 'a.b/c.html'].map(
      file,
    );
    const done = await publishRelease({ release: 'r3', files, apply: true }, { deployment, ...c });
    expect(done.skipped).toEqual(['.env', '.git/', 'assets/.DS_Store']);
    const shuffled = await publishRelease(
      { release: 'r5', files: [...files].reverse(), apply: false },
      { deployment, ...c },
    );
    expect(shuffled.skipped).toEqual(['.env', '.git/', 'assets/.DS_Store']);
    expect(done.keys).toEqual(['releases/r3/index.html', 'releases/r3/a.b/c.html', 'releases/r3/healthz']);
    expect(c.m.s3.primary.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual(done.keys);

    const all = await publishRelease(
      { release: 'r4', files, apply: false, includeDotfiles: true },
      { deployment, ...c },
    );
    expect(all.skipped).toStrictEqual([]);
    expect(all.keys).toContain('releases/r4/.git/config');
    expect(all.keys).toHaveLength(files.length + 1);
  });

  test('a release of hidden files only is refused, naming them', async () => {
    const c = setup();
    const files = [{ path: '.env', body: new Uint8Array(), contentType: 'text/plain' }];
    await expect(publishRelease({ release: 'r3', files, apply: true }, { deployment, ...c })).rejects.toThrow(
      new ReleaseInputError('the release has no files but hidden ones (.env); pass "includeDotfiles" to publish them'),
    );
  });

  test.each([
    ['index.html', undefined],
    ['.env', '.env'],
    ['.git/HEAD', '.git/'],
    ['docs/.well-known/security.txt', 'docs/.well-known/'],
    ['v1.2/app.js', undefined],
  ])('hiddenPart(%s) is %s', (path, part) => {
    expect(hiddenPart(path)).toBe(part);
  });
});

describe('contentTypeFor', () => {
  test.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/site.css', 'text/css; charset=utf-8'],
    ['assets/app.js', 'text/javascript; charset=utf-8'],
    ['robots.txt', 'text/plain; charset=utf-8'],
    ['feed.xml', 'application/xml'],
    ['data/projects.json', 'application/json'],
    ['logo.svg', 'image/svg+xml'],
    ['fonts/inter.woff2', 'font/woff2'],
    ['PHOTO.JPG', 'image/jpeg'],
    ['cv.pdf', 'application/pdf'],
    ['notes.md', 'text/markdown; charset=utf-8'],
    ['video.mp4', 'video/mp4'],
    ['archive.unknownext', 'application/octet-stream'],
    ['LICENSE', 'application/octet-stream'],
  ])('%s is published as %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });
});

describe('release switch: results, timeline and validation', () => {
  const at = (s: number) => new Date(Date.parse('2026-11-28T10:00:00Z') + s * 1000).toISOString();

  test('a rollback that validates at once: the whole result', async () => {
    const c = setup();
    const result = await switchRelease({ apply: true }, { deployment, ...c, fetch: serving('r1').fetch, ...clock() });
    const ok = { ok: true, detail: 'healthz and home page serve r1 (0 ms)' };
    expect(result).toEqual({
      status: 'done',
      dryRun: false,
      from: { primary: 'r2', standby: 'r2' },
      to: 'r1',
      validation: { primary: ok, standby: ok },
      seconds: 0,
      message: 'both regions serve r1',
      timeline: [
        {
          at: at(0),
          event: 'release switch requested',
          detail: { from: { primary: 'r2', standby: 'r2' }, to: 'r1', apply: true },
        },
        {
          at: at(0),
          event: 'region switched',
          detail: { role: 'primary', restApiId: 'api-primary', stageName: 'live' },
        },
        {
          at: at(0),
          event: 'region switched',
          detail: { role: 'standby', restApiId: 'api-standby', stageName: 'live' },
        },
        { at: at(0), event: 'release validated', detail: { validation: { primary: ok, standby: ok } } },
      ],
    });
    for (const role of ['primary', 'standby'] as const) {
      expect(c.m.ssm[role].commandCalls(PutParameterCommand)[0].args[0].input).toEqual({
        Name: '/portfolio/live-release',
        Value: 'r1',
        Overwrite: true,
        Type: 'String',
      });
      expect(c.m.s3[role].commandCalls(ListObjectsV2Command)[0].args[0].input).toEqual({
        Bucket: `${role}-bucket`,
        Prefix: 'releases/r1/healthz',
        MaxKeys: 1,
      });
    }
  });

  test('the time each check took is reported, from the clock given', async () => {
    const c = setup();
    const result = await switchRelease(
      { apply: true },
      { deployment, ...c, fetch: serving('r1').fetch, ...clock(250) },
    );
    // Each probe reads the clock twice (start, end): 250 ms each, healthz and home page.
    expect(result.validation.primary.detail).toBe('healthz and home page serve r1 (500 ms)');
    expect(result.seconds).toBeGreaterThan(0);
  });

  test('validation polls every 2 s until both regions serve the release', async () => {
    const c = setup();
    const r1 = serving('r1');
    const r2 = serving('r2');
    let calls = 0;
    // The standby's stage takes a few seconds to serve r1: the first 3 rounds still answer r2.
    const fetch = async (url: string) => (url.includes('us-west-2') && ++calls <= 3 ? r2.fetch(url) : r1.fetch(url));
    const result = await switchRelease({ to: 'r1', apply: true }, { deployment, ...c, fetch, ...clock() });
    expect(result).toMatchObject({ status: 'done', seconds: 6, message: 'both regions serve r1' });
    expect(result.timeline.at(-1)).toMatchObject({ at: at(6), event: 'release validated' });
  });

  test('not served within the default 60 s: failed after 30 polls, each region with its reason', async () => {
    const c = setup();
    const table = fakeFetch({
      'https://us-east-1.www.example.com/healthz': [200, 'portfolio-ok release=r1\n'],
      'https://us-east-1.www.example.com/': [200, '<html>', { 'x-release': 'r2' }],
      'https://us-west-2.www.example.com/healthz': [200, 'portfolio-ok release=r1\n'],
      'https://us-west-2.www.example.com/': [500, 'oops'],
    });
    const result = await switchRelease({ to: 'r1', apply: true }, { deployment, ...c, fetch: table.fetch, ...clock() });
    const notServed = {
      primary: { ok: false, detail: 'https://us-east-1.www.example.com/: X-Release is r2' },
      standby: { ok: false, detail: 'https://us-west-2.www.example.com/: HTTP 500' },
    };
    expect(result).toMatchObject({
      status: 'failed',
      seconds: 60,
      validation: notServed,
      message: 'switched, but not every region serves r1 yet: see validation',
    });
    expect(result.timeline.at(-1)).toEqual({
      at: at(60),
      event: 'release not validated',
      detail: { validation: notServed },
    });
    // One round at once, then one every 2 s for 60 s: 31 rounds of 4 requests.
    expect(table.calls).toHaveLength(31 * 4);
  });

  test('a region that already serves the release and validates is "already", nothing written', async () => {
    const c = setup('r1');
    const result = await switchRelease(
      { to: 'r1', apply: true },
      { deployment, ...c, fetch: serving('r1').fetch, ...clock() },
    );
    expect(result).toMatchObject({ status: 'already', dryRun: false, message: 'both regions serve r1' });
    expect(c.m.ssm.primary.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  test('a dry run of a switch already made says so, checks nothing and writes nothing', async () => {
    const c = setup('r1');
    const result = await switchRelease({ to: 'r1', apply: false }, { deployment, ...c, ...clock() });
    const notChecked = { ok: false, detail: 'not checked' };
    expect(result).toEqual({
      status: 'already',
      dryRun: true,
      from: { primary: 'r1', standby: 'r1' },
      to: 'r1',
      validation: { primary: notChecked, standby: notChecked },
      seconds: 0,
      message: 'both regions already serve r1',
      timeline: [
        {
          at: at(0),
          event: 'release switch requested',
          detail: { from: { primary: 'r1', standby: 'r1' }, to: 'r1', apply: false },
        },
      ],
    });
  });

  test('a dry run with one region behind names that region only', async () => {
    const c = setup('r1', ['r1', 'r2'], { standby: 'r2' });
    const result = await switchRelease({ to: 'r1', apply: false }, { deployment, ...c, ...clock() });
    expect(result.message).toBe('would switch standby to r1');
    expect(result.timeline[1]).toEqual({
      at: at(0),
      event: 'stage variable and parameter disagree',
      detail: { role: 'standby', stage: 'r2', parameter: 'r1' },
    });
    expect(result.timeline).toHaveLength(2);
  });

  test('a stage without the release variable: what it serves is taken from the parameter', async () => {
    const c = setup('r2');
    c.m.apigw.standby.on(GetStageCommand).resolves({ variables: {} });
    const result = await switchRelease({ to: 'r1', apply: false }, { deployment, ...c, ...clock() });
    expect(result.from).toEqual({ primary: 'r2', standby: 'r2' });
  });

  test('a stage with no variables at all (API Gateway leaves the field out), in the primary: taken from the parameter', async () => {
    const c = setup('r2');
    c.m.apigw.primary.on(GetStageCommand).resolves({ stageName: 'live' });
    const result = await switchRelease({ to: 'r1', apply: false }, { deployment, ...c, ...clock() });
    expect(result.from).toEqual({ primary: 'r2', standby: 'r2' });
    expect(result.message).toBe('would switch primary and standby to r1');
  });

  test('a parameter out of step with a stage that already serves the release is repaired', async () => {
    // Someone pointed the standby's stage variable at r1 by hand; its parameter (what the next
    // deploy seeds) still says r2.
    const c = setup('r2', ['r1', 'r2'], { primary: 'r1', standby: 'r1' });
    c.m.ssm.standby
      .on(GetParameterCommand, { Name: '/portfolio/live-release' })
      .resolves({ Parameter: { Value: 'r2' } });
    c.m.ssm.primary
      .on(GetParameterCommand, { Name: '/portfolio/live-release' })
      .resolves({ Parameter: { Value: 'r1' } });
    const dry = await switchRelease({ to: 'r1', apply: false }, { deployment, ...c, ...clock() });
    expect(dry.message).toBe('would switch standby to r1');
    const result = await switchRelease(
      { to: 'r1', apply: true },
      { deployment, ...c, ...clock(), fetch: serving('r1').fetch },
    );
    expect(result.status).toBe('done');
    expect(c.m.ssm.primary.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(c.m.ssm.standby.commandCalls(PutParameterCommand).map((call) => call.args[0].input.Value)).toEqual(['r1']);
  });

  test('a release id longer than two characters, up to 64, is accepted; the bucket is asked for its healthz only', async () => {
    const id = `v2026.11.30-${'a'.repeat(52)}`;
    expect(id).toHaveLength(64);
    const c = setup('r2', ['r2', id]);
    const result = await switchRelease({ to: id, apply: false }, { deployment, ...c, ...clock() });
    expect(result).toMatchObject({ status: 'planned', to: id });
    expect(c.m.apigw.standby.commandCalls(GetBasePathMappingsCommand)[0].args[0].input).toEqual({
      domainName: 'us-west-2.www.example.com',
    });
    expect(c.m.s3.standby.commandCalls(ListObjectsV2Command)[0].args[0].input).toEqual({
      Bucket: 'standby-bucket',
      Prefix: `releases/${id}/healthz`,
      MaxKeys: 1,
    });
  });

  test('the parameter history is read for the live release parameter; entries without a value are passed over', async () => {
    const c = setup('r3', ['r1', 'r2', 'r3']);
    historyPages(c.m.ssm.primary, [
      [
        { Version: 1, Value: 'r1' },
        { Version: 2, Value: 'r2' },
      ],
      [{ Version: 3 } as { Version: number; Value: string }, { Version: 4, Value: 'r3' }],
    ]);
    const result = await switchRelease({ apply: false }, { deployment, ...c, ...clock() });
    expect(result.to).toBe('r2');
    expect(c.m.ssm.primary.commandCalls(GetParameterHistoryCommand)[0].args[0].input).toMatchObject({
      Name: '/portfolio/live-release',
    });
  });

  test('a region whose host has no API mapping is an error naming the host and region', async () => {
    const c = setup();
    c.m.apigw.standby.on(GetBasePathMappingsCommand).resolves({ items: [] });
    await expect(switchRelease({ to: 'r1', apply: false }, { deployment, ...c, ...clock() })).rejects.toThrow(
      'no API is mapped to us-west-2.www.example.com in us-west-2',
    );
    // A domain name with no mapping at all: API Gateway leaves the list out.
    c.m.apigw.standby.on(GetBasePathMappingsCommand).resolves({});
    await expect(switchRelease({ to: 'r1', apply: false }, { deployment, ...c, ...clock() })).rejects.toThrow(
      'no API is mapped to us-west-2.www.example.com in us-west-2',
    );
    c.m.apigw.standby.on(GetBasePathMappingsCommand).resolves({ items: [{ restApiId: 'api' }] });
    await expect(switchRelease({ to: 'r1', apply: false }, { deployment, ...c, ...clock() })).rejects.toThrow(
      'no API is mapped to us-west-2.www.example.com in us-west-2',
    );
  });

  test.each(['../x', '', 'a'.repeat(65), '-r1'])('"to" %p is refused before any request', async (to) => {
    const c = setup();
    const error = await switchRelease({ to, apply: true }, { deployment, ...c, ...clock() }).catch((e) => e);
    expect(error).toBeInstanceOf(ReleaseInputError);
    expect(error).toMatchObject({
      message: `to: got "${to}", expected a release id (letters, digits, . _ -, at most 64)`,
      field: 'to',
    });
    expect(c.m.ssm.primary.calls()).toHaveLength(0);
  });

  test('the previous release is the newest older version, whatever order the history pages come in', async () => {
    const c = setup('r3', ['r1', 'r2', 'r3']);
    historyPages(c.m.ssm.primary, [
      [
        { Version: 5, Value: 'r3' },
        { Version: 1, Value: 'bootstrap' },
      ],
      [
        { Version: 4, Value: '' },
        { Version: 3, Value: 'r2' },
        { Version: 2, Value: 'r1' },
      ],
    ]);
    const result = await switchRelease({ apply: false }, { deployment, ...c, ...clock() });
    expect(result.to).toBe('r2');
  });

  test('no release before the current one: refused, asking for "to"', async () => {
    const c = setup('r2');
    historyPages(c.m.ssm.primary, [[{ Version: 1, Value: 'r2' }], [{ Value: '' } as never]]);
    const error = await switchRelease({ apply: true }, { deployment, ...c, ...clock() }).catch((e) => e);
    expect(error).toMatchObject({ message: 'no release before "r2" is recorded; name one with "to"', field: 'to' });
  });

  test('a release missing in the standby only is refused, naming the standby', async () => {
    const c = setup();
    c.m.s3.standby.on(ListObjectsV2Command).resolves({});
    const error = await switchRelease({ to: 'r1', apply: true }, { deployment, ...c, ...clock() }).catch((e) => e);
    expect(error).toBeInstanceOf(ReleaseInputError);
    expect(error.message).toBe(
      'release "r1" is not in the standby bucket (us-west-2): publish it first, or wait for replication',
    );
    expect(error.field).toBeUndefined();
  });

  test('without an injected sleep, validation really waits 2 s between rounds', async () => {
    realSleepGuard.mockRestore();
    jest.useFakeTimers({ now: Date.parse('2026-11-28T10:00:00Z') });
    const c = setup();
    const r1 = serving('r1');
    let rounds = 0;
    const fetch = async (url: string) => {
      if (url.endsWith('us-east-1.www.example.com/healthz')) rounds++;
      return rounds <= 1 ? serving('r2').fetch(url) : r1.fetch(url);
    };
    const done = switchRelease({ to: 'r1', apply: true }, { deployment, ...c, fetch });
    await jest.advanceTimersByTimeAsync(1999);
    expect(rounds).toBe(1);
    let result: Awaited<typeof done> | undefined;
    void done.then((r) => (result = r));
    await jest.advanceTimersByTimeAsync(1);
    expect(rounds).toBe(2);
    // Settled without more time passing (a switch that still waits would leave the test hanging).
    expect(result).toMatchObject({ status: 'done', seconds: 2 });
  });
});

describe('publish: what is written', () => {
  const file = (path: string, text = path) => ({
    path,
    body: new TextEncoder().encode(text),
    contentType: 'text/html',
  });

  test('each file with its content type, then healthz naming the release; a dry run writes nothing', async () => {
    const c = setup();
    c.m.s3.primary.on(PutObjectCommand).resolves({});
    const plan = await publishRelease(
      { release: 'r3', files: [file('index.html')], apply: false },
      { deployment, ...c },
    );
    expect(plan).toEqual({
      status: 'planned',
      release: 'r3',
      bucket: 'primary-bucket',
      keys: ['releases/r3/index.html', 'releases/r3/healthz'],
      skipped: [],
    });
    expect(c.m.s3.primary.commandCalls(PutObjectCommand)).toHaveLength(0);
    const done = await publishRelease(
      { release: 'r3', files: [file('index.html', '<h1>')], apply: true },
      { deployment, ...c },
    );
    expect(done.status).toBe('done');
    const puts = c.m.s3.primary.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts[0]).toEqual({
      Bucket: 'primary-bucket',
      Key: 'releases/r3/index.html',
      Body: new TextEncoder().encode('<h1>'),
      ContentType: 'text/html',
    });
    expect(puts[1]).toMatchObject({ Bucket: 'primary-bucket', Key: 'releases/r3/healthz', ContentType: 'text/plain' });
    expect(new TextDecoder().decode(puts[1].Body as Uint8Array)).toBe('portfolio-ok release=r3\n');
  });

  test.each<[string, Parameters<typeof publishRelease>[0], string, string | undefined]>([
    [
      'an invalid id',
      { release: 'r 3', files: [], apply: true },
      'release: got "r 3", expected a release id (letters, digits, . _ -, at most 64)',
      'release',
    ],
    ['no files', { release: 'r3', files: [], apply: true }, 'the release has no files', undefined],
    [
      'hidden files only',
      { release: 'r3', files: [file('.env'), file('.git/HEAD')], apply: true },
      'the release has no files but hidden ones (.env, .git/); pass "includeDotfiles" to publish them',
      'includeDotfiles',
    ],
    [
      'its own healthz',
      { release: 'r3', files: [file('index.html'), file('healthz')], apply: true },
      'the release must not contain "healthz": it is written by the publish itself',
      undefined,
    ],
  ])('%s is refused, nothing written', async (_name, request, message, field) => {
    const c = setup();
    const error = await publishRelease(request, { deployment, ...c }).catch((e) => e);
    expect(error).toBeInstanceOf(ReleaseInputError);
    expect(error.message).toBe(message);
    expect(error.field).toBe(field);
    expect(c.m.s3.primary.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('a healthz in a subdirectory is an ordinary file', async () => {
    const c = setup();
    const plan = await publishRelease(
      { release: 'r3', files: [file('a/healthz')], apply: false },
      { deployment, ...c },
    );
    expect(plan.keys).toEqual(['releases/r3/a/healthz', 'releases/r3/healthz']);
  });
});
