import type { ReadinessReport } from '../../../lambda/contract/assurance';
import { deployment } from '../../support/deployment';

const report: ReadinessReport = {
  ready: false,
  checkedAt: '2026-11-30T06:00:00.000Z',
  app: 'portfolio',
  region: 'us-west-2',
  checks: [{ check: 'certificates', ok: false, summary: 'expiring', details: {} }],
};
const runReadiness = jest.fn(async (..._: unknown[]) => report);
const publishReadiness = jest.fn(async (..._: unknown[]) => undefined);
// jest.mock is hoisted above the declarations: the factory reaches them only when called.
jest.mock('../../../lambda/lib/readiness/runner', () => ({
  runReadiness: (...a: unknown[]) => runReadiness(...a),
  publishReadiness: (...a: unknown[]) => publishReadiness(...a),
}));

// Imported after the mock is in place.
import { readiness } from '../../../lambda/handlers';
import { clients, resetClients } from '../../../lambda/handlers/clients';

describe('readiness handler', () => {
  beforeEach(() => {
    process.env.DR_DEPLOYMENT = JSON.stringify(deployment);
    resetClients();
    jest.clearAllMocks();
  });
  afterAll(() => {
    delete process.env.DR_DEPLOYMENT;
    resetClients();
  });

  test('runs the checks with the shared clients, publishes from the standby region, returns the report', async () => {
    expect(await readiness()).toBe(report);
    const c = clients();
    expect(runReadiness).toHaveBeenCalledWith(c);
    expect(publishReadiness).toHaveBeenCalledWith(c.cloudwatch.standby, 'portfolio', report);
    expect(await c.acm.standby.config.region()).toBe('us-west-2');
  });

  test('a failed publish is logged, and the report still returned', async () => {
    publishReadiness.mockRejectedValueOnce(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await readiness()).toBe(report);
      expect(log).toHaveBeenCalledWith('readiness: PutMetricData failed: AccessDenied: denied');
    } finally {
      log.mockRestore();
    }
  });
});
