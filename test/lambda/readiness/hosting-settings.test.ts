import { GetBasePathMappingsCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { hostingSettings } from '../../../lambda/lib/readiness/hosting-settings';
import { NOW, readyWorld, stage } from './fixtures';

const throttling = {
  '*/*': { rate: 50, burst: 100 },
  '~1healthz/GET': { rate: 50, burst: 100 },
};

describe('hosting-settings', () => {
  test('same release variable and throttling in both stages: ok', async () => {
    const world = readyWorld();
    expect(await hostingSettings(world.deps, NOW)).toEqual({
      check: 'hosting-settings',
      ok: true,
      summary: 'both stages serve v1 with the same throttling',
      details: {
        primary: { restApiId: 'api-primary', stage: 'live', release: 'v1', throttling },
        standby: { restApiId: 'api-standby', stage: 'live', release: 'v1', throttling },
      },
    });
  });

  test('a different release variable and a different throttle: fails with both', async () => {
    const world = readyWorld();
    world.mocks.apigw.standby.on(GetStageCommand).resolves(stage('v0', 10));
    const r = await hostingSettings(world.deps, NOW);
    expect(r.ok).toBe(false);
    expect(r.summary).toBe(
      'stage variable release: "v1" in us-east-1, "v0" in us-west-2; throttling of */*: {"rate":50,"burst":100} in the primary, {"rate":10,"burst":20} in the standby',
    );
  });

  test('no release variable in either region, a method throttled in one region only', async () => {
    const world = readyWorld();
    const extra = stage(undefined, 50);
    world.mocks.apigw.primary.on(GetStageCommand).resolves({
      ...extra,
      methodSettings: { ...extra.methodSettings, '~1{proxy+}/GET': { throttlingRateLimit: 5 } },
    });
    world.mocks.apigw.standby.on(GetStageCommand).resolves({ variables: undefined });
    const r = await hostingSettings(world.deps, NOW);
    expect(r.summary).toBe(
      'stage variable release: "" in us-east-1, "" in us-west-2; throttling of */*: {"rate":50,"burst":100} in the primary, null in the standby; throttling of ~1healthz/GET: {"rate":50,"burst":100} in the primary, null in the standby; throttling of ~1{proxy+}/GET: {"rate":5} in the primary, null in the standby',
    );
    expect(Object.keys((r.details.primary as { throttling: object }).throttling)).toEqual([
      '*/*',
      '~1healthz/GET',
      '~1{proxy+}/GET',
    ]);
  });

  test('methods throttled in one region only are reported in method order, whatever order the API gives', async () => {
    const world = readyWorld();
    world.mocks.apigw.primary.on(GetStageCommand).resolves({
      variables: { release: 'v1' },
      methodSettings: {
        '~1z/GET': { throttlingRateLimit: 1 },
        '*/*': { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
        '~1healthz/GET': { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
      },
    });
    world.mocks.apigw.standby.on(GetStageCommand).resolves({
      variables: { release: 'v1' },
      methodSettings: {
        '~1y/GET': { throttlingRateLimit: 2 },
        '*/*': { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
        '~1healthz/GET': { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
      },
    });
    const r = await hostingSettings(world.deps, NOW);
    expect(r.check).toBe('hosting-settings');
    expect(r.ok).toBe(false);
    expect(r.summary).toBe(
      'throttling of ~1y/GET: null in the primary, {"rate":2} in the standby; throttling of ~1z/GET: {"rate":1} in the primary, null in the standby',
    );
  });

  test.each([
    ['no mapping', {}],
    ['a mapping without a stage', { items: [{ restApiId: 'api-standby' }] }],
    ['a mapping without an API', { items: [{ stage: 'live' }] }],
  ])('%s for the regional host: throws, naming host and region', async (_, answer) => {
    const world = readyWorld();
    world.mocks.apigw.standby.on(GetBasePathMappingsCommand).resolves(answer);
    await expect(hostingSettings(world.deps, NOW)).rejects.toThrow(
      'no API is mapped to us-west-2.www.example.com in us-west-2',
    );
  });
});
