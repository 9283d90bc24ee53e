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
import { deployment, fakeFetch } from '../support/deployment';

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
  return { ssm, s3, apigw, m };
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
        sleep: async (ms) => void (t += ms),
      },
    );
    expect(result.status).toBe('failed');
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
    expect(done.keys).toEqual(['releases/r3/index.html', 'releases/r3/a.b/c.html', 'releases/r3/healthz']);
    expect(c.m.s3.primary.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual(done.keys);

    const all = await publishRelease(
      { release: 'r4', files, apply: false, includeDotfiles: true },
      { deployment, ...c },
    );
    expect(all.skipped).toEqual([]);
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
