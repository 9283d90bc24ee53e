import {
  APIGatewayClient,
  GetBasePathMappingsCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { RegionRole } from '../../lambda/contract/regions';
import { systemClock } from '../../lambda/lib/clock';
import { publishRelease, ReleaseInputError, switchRelease } from '../../lambda/lib/release';
import { deployment, fakeFetch } from '../support/deployment';

// The primary region lost for days: publish and switch releases in the standby alone. Every call
// to the primary's clients fails, as it would with the region down; a request that touches the
// primary at all fails the test.

function primaryDownStandbyOn(live: string, present: string[]) {
  const ssm = { primary: new SSMClient({}), standby: new SSMClient({}) };
  const s3 = { primary: new S3Client({}), standby: new S3Client({}) };
  const apigw = { primary: new APIGatewayClient({}), standby: new APIGatewayClient({}) };
  const down = new Error('connect ETIMEDOUT 52.46.0.1:443');
  const m = {
    ssm: { primary: mockClient(ssm.primary), standby: mockClient(ssm.standby) },
    s3: { primary: mockClient(s3.primary), standby: mockClient(s3.standby) },
    apigw: { primary: mockClient(apigw.primary), standby: mockClient(apigw.standby) },
  };
  m.ssm.primary.onAnyCommand().rejects(down);
  m.s3.primary.onAnyCommand().rejects(down);
  m.apigw.primary.onAnyCommand().rejects(down);
  m.ssm.standby.on(GetParameterCommand, { Name: '/portfolio/live-release' }).resolves({ Parameter: { Value: live } });
  m.ssm.standby
    .on(GetParameterCommand, { Name: '/portfolio/site-bucket-name' })
    .resolves({ Parameter: { Value: 'standby-bucket' } });
  m.ssm.standby.on(GetParameterHistoryCommand).resolves({
    Parameters: [
      { Version: 1, Value: 'r1' },
      { Version: 2, Value: live },
    ],
  });
  m.ssm.standby.on(PutParameterCommand).resolves({});
  m.s3.standby
    .on(ListObjectsV2Command)
    .callsFake((input) => ({ KeyCount: present.some((r) => input.Prefix === `releases/${r}/healthz`) ? 1 : 0 }));
  m.s3.standby.on(PutObjectCommand).resolves({});
  m.apigw.standby.on(GetBasePathMappingsCommand).resolves({ items: [{ restApiId: 'api-standby', stage: 'live' }] });
  m.apigw.standby.on(GetStageCommand).resolves({ variables: { release: live } });
  m.apigw.standby.on(UpdateStageCommand).resolves({});
  return { ssm, s3, apigw, m };
}

// The switch is given its own clock: a validation that does not pass (a slip in the one-region
// logic) then ends at once as 'failed' after its 60 s of test time, instead of waiting real seconds.
// A real wait fails the test at once.
let realSleepGuard: jest.SpyInstance;
beforeEach(() => {
  realSleepGuard = jest.spyOn(systemClock, 'sleep').mockImplementation(() => {
    throw new Error('a real wait although the test gave the release switch its own sleep');
  });
});
afterEach(() => realSleepGuard.mockRestore());

function testClock() {
  let t = Date.parse('2026-11-28T10:00:00Z');
  return { now: () => new Date(t), sleep: async (ms: number) => void (t += ms) };
}

const standbyServing = (release: string) =>
  fakeFetch({
    'https://us-west-2.www.example.com/healthz': [200, `portfolio-ok release=${release}\n`],
    'https://us-west-2.www.example.com/': [200, '<html>', { 'x-release': release }],
  });

const files = [{ path: 'index.html', body: new TextEncoder().encode('<h1>hi</h1>'), contentType: 'text/html' }];

describe('publish with only: standby', () => {
  test('writes the release to the standby bucket and never calls the primary', async () => {
    const c = primaryDownStandbyOn('r1', ['r1']);
    const done = await publishRelease({ release: 'r2', files, apply: true, only: 'standby' }, { deployment, ...c });
    expect(done).toMatchObject({ status: 'done', bucket: 'standby-bucket' });
    expect(c.m.s3.standby.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ Bucket: 'standby-bucket', Key: 'releases/r2/index.html' }),
      expect.objectContaining({ Bucket: 'standby-bucket', Key: 'releases/r2/healthz' }),
    ]);
    for (const client of [c.m.ssm.primary, c.m.s3.primary, c.m.apigw.primary]) expect(client.calls()).toHaveLength(0);
  });

  test('refuses an id that already exists in the standby bucket (second run)', async () => {
    const c = primaryDownStandbyOn('r1', ['r1', 'r2']);
    await expect(
      publishRelease({ release: 'r2', files, apply: true, only: 'standby' }, { deployment, ...c }),
    ).rejects.toThrow('release "r2" already exists: releases are immutable, choose a new id');
    expect(c.m.s3.standby.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('without only, publishing still goes to the primary (and fails with it down)', async () => {
    const c = primaryDownStandbyOn('r1', ['r1']);
    await expect(publishRelease({ release: 'r2', files, apply: true }, { deployment, ...c })).rejects.toThrow(
      'connect ETIMEDOUT',
    );
  });
});

describe('switch with only: standby', () => {
  test('switches and validates the standby alone; the primary is reported as not read', async () => {
    const c = primaryDownStandbyOn('r1', ['r1', 'r2']);
    const result = await switchRelease(
      { to: 'r2', apply: true, only: 'standby' },
      { deployment, ...c, ...testClock(), fetch: standbyServing('r2').fetch },
    );
    expect(result).toMatchObject({
      status: 'done',
      to: 'r2',
      from: { primary: 'not read: only the standby was asked for', standby: 'r1' },
      message: 'the standby serves r2',
      validation: {
        primary: { ok: false, detail: 'not read: only the standby was asked for' },
        standby: { ok: true },
      },
    });
    expect(c.m.apigw.standby.commandCalls(UpdateStageCommand)[0].args[0].input).toEqual({
      restApiId: 'api-standby',
      stageName: 'live',
      patchOperations: [{ op: 'replace', path: '/variables/release', value: 'r2' }],
    });
    expect(c.m.ssm.standby.commandCalls(PutParameterCommand)[0].args[0].input).toMatchObject({ Value: 'r2' });
    expect(result.timeline.map((e) => e.event)).toEqual([
      'release switch requested',
      'region switched',
      'release validated',
    ]);
    expect(result.timeline[1].detail).toEqual({ role: 'standby', restApiId: 'api-standby', stageName: 'live' });
    expect(result.seconds).toBe(0);
    for (const client of [c.m.ssm.primary, c.m.s3.primary, c.m.apigw.primary]) expect(client.calls()).toHaveLength(0);
  });

  test('a rollback without "to" reads the previous release from the standby parameter history', async () => {
    const c = primaryDownStandbyOn('r2', ['r1', 'r2']);
    const result = await switchRelease(
      { apply: false, only: 'standby' },
      { deployment, ...c, ...testClock(), fetch: standbyServing('r1').fetch },
    );
    expect(result).toMatchObject({ status: 'planned', to: 'r1', message: 'would switch standby to r1' });
    expect(c.m.ssm.standby.commandCalls(GetParameterHistoryCommand)).toHaveLength(1);
    expect(c.m.apigw.standby.commandCalls(UpdateStageCommand)).toHaveLength(0);
  });

  test('idempotent: a second run on a standby already on the release changes nothing', async () => {
    const c = primaryDownStandbyOn('r2', ['r1', 'r2']);
    const result = await switchRelease(
      { to: 'r2', apply: true, only: 'standby' },
      { deployment, ...c, ...testClock(), fetch: standbyServing('r2').fetch },
    );
    expect(result).toMatchObject({ status: 'already', message: 'the standby serves r2' });
    const dry = await switchRelease({ to: 'r2', apply: false, only: 'standby' }, { deployment, ...c, ...testClock() });
    expect(dry).toMatchObject({ status: 'already', dryRun: true, message: 'the standby already serves r2' });
    expect(c.m.apigw.standby.commandCalls(UpdateStageCommand)).toHaveLength(0);
    expect(c.m.ssm.standby.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  test.each([
    [
      'switch',
      (c: ReturnType<typeof primaryDownStandbyOn>, only: RegionRole) =>
        switchRelease({ to: 'r2', apply: true, only }, { deployment, ...c, ...testClock() }),
    ],
    [
      'publish',
      (c: ReturnType<typeof primaryDownStandbyOn>, only: RegionRole) =>
        publishRelease({ release: 'r3', files, apply: true, only }, { deployment, ...c }),
    ],
  ])('%s refuses an unknown role before any call, naming the field', async (_name, run) => {
    const c = primaryDownStandbyOn('r1', ['r1', 'r2']);
    const err = await run(c, 'secondary' as RegionRole).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReleaseInputError);
    expect(err).toMatchObject({ field: 'only', message: 'only: got "secondary", expected "primary" or "standby"' });
    expect(c.m.ssm.standby.calls()).toHaveLength(0);
  });
});
