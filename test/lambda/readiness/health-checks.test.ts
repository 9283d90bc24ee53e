import { GetHealthCheckStatusCommand, ListHealthChecksCommand } from '@aws-sdk/client-route-53';
import { healthChecks } from '../../../lambda/lib/readiness/health-checks';
import { healthCheck, NOW, observations, readyWorld } from './fixtures';

describe('health-checks', () => {
  test("both regions' checks healthy: ok, with each check's observations", async () => {
    const world = readyWorld();
    expect(await healthChecks(world.deps, NOW)).toEqual({
      check: 'health-checks',
      ok: true,
      summary: "both regions' health checks are healthy",
      details: {
        primary: [{ id: 'hc-primary', healthy: 3, checkers: 3 }],
        standby: [{ id: 'hc-standby', healthy: 3, checkers: 3 }],
      },
    });
  });

  test('reads every page of ListHealthChecks: a check on the second page is found', async () => {
    const world = readyWorld();
    world.mocks.route53
      .on(ListHealthChecksCommand)
      .resolves({
        HealthChecks: [healthCheck('hc-primary', 'us-east-1.www.example.com')],
        IsTruncated: true,
        NextMarker: 'm',
        MaxItems: 1,
        Marker: '',
      })
      .on(ListHealthChecksCommand, { Marker: 'm' })
      .resolves({
        HealthChecks: [healthCheck('hc-standby', 'us-west-2.www.example.com')],
        IsTruncated: false,
        MaxItems: 1,
        Marker: 'm',
      });
    const r = await healthChecks(world.deps, NOW);
    expect(r.ok).toBe(true);
    expect(world.mocks.route53.commandCalls(ListHealthChecksCommand)).toHaveLength(2);
  });

  test("Route 53's rule: healthy when more than 18% of checkers say so", async () => {
    const world = readyWorld();
    // 2 of 11 is 18.2%: healthy. 2 of 12 is 16.7%: unhealthy.
    world.mocks.route53
      .on(GetHealthCheckStatusCommand, { HealthCheckId: 'hc-primary' })
      .resolves(observations(2, 11))
      .on(GetHealthCheckStatusCommand, { HealthCheckId: 'hc-standby' })
      .resolves(observations(2, 12));
    const r = await healthChecks(world.deps, NOW);
    expect(r.ok).toBe(false);
    expect(r.summary).toBe('us-west-2.www.example.com (standby) is unhealthy: 2 of 12 checkers see it healthy');
  });

  test('exactly 18% healthy is unhealthy (Route 53 needs more than 18%)', async () => {
    const world = readyWorld();
    world.mocks.route53.on(GetHealthCheckStatusCommand, { HealthCheckId: 'hc-primary' }).resolves(observations(9, 50));
    const r = await healthChecks(world.deps, NOW);
    expect(r.summary).toBe('us-east-1.www.example.com (primary) is unhealthy: 9 of 50 checkers see it healthy');
  });

  test('a health check without a config, and observations without a status report, are handled', async () => {
    const world = readyWorld();
    world.mocks.route53
      .on(ListHealthChecksCommand)
      .resolves({
        HealthChecks: [
          { Id: 'bare', CallerReference: 'b', HealthCheckVersion: 1, HealthCheckConfig: undefined as never },
          healthCheck('hc-primary', 'us-east-1.www.example.com'),
          healthCheck('hc-standby', 'us-west-2.www.example.com'),
        ],
      })
      .on(GetHealthCheckStatusCommand, { HealthCheckId: 'hc-standby' })
      .resolves({ HealthCheckObservations: [{}, { StatusReport: {} }] });
    const r = await healthChecks(world.deps, NOW);
    expect(r.summary).toBe('us-west-2.www.example.com (standby) is unhealthy: 0 of 2 checkers see it healthy');
  });

  test('a check with no observations is unhealthy', async () => {
    const world = readyWorld();
    world.mocks.route53.on(GetHealthCheckStatusCommand, { HealthCheckId: 'hc-primary' }).resolves({});
    const r = await healthChecks(world.deps, NOW);
    expect(r.summary).toBe('us-east-1.www.example.com (primary) is unhealthy: 0 of 0 checkers see it healthy');
    expect(r.details.primary).toEqual([{ id: 'hc-primary', healthy: 0, checkers: 0 }]);
  });

  test('a region without a health check fails, naming the host', async () => {
    const world = readyWorld();
    world.mocks.route53.on(ListHealthChecksCommand).resolves({
      HealthChecks: [
        healthCheck('hc-primary', 'us-east-1.www.example.com'),
        { Id: 'calc', CallerReference: 'c', HealthCheckVersion: 1, HealthCheckConfig: { Type: 'CALCULATED' } },
      ],
    });
    const r = await healthChecks(world.deps, NOW);
    expect(r).toMatchObject({ ok: false, summary: 'no health check targets us-west-2.www.example.com (standby)' });
    expect(r.details.standby).toEqual([]);
  });

  test('no health checks at all, and an empty listing page', async () => {
    const world = readyWorld();
    world.mocks.route53.on(ListHealthChecksCommand).resolves({});
    const r = await healthChecks(world.deps, NOW);
    expect(r.check).toBe('health-checks');
    expect(r.summary).toBe(
      'no health check targets us-east-1.www.example.com (primary); no health check targets us-west-2.www.example.com (standby)',
    );
  });
});
