import { drill } from '../../../lambda/handlers';
import { resetClients } from '../../../lambda/handlers/clients';
import { deployment } from '../../support/deployment';

describe('the drill handler', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetClients();
  });

  test('refuses to run without its report bucket, naming the variable', async () => {
    process.env.DR_DEPLOYMENT = JSON.stringify(deployment);
    delete process.env.DR_DRILL_REPORT_BUCKET;
    await expect(drill({ step: 'start', drill: {} })).rejects.toThrow(
      'DR_DRILL_REPORT_BUCKET is not set: this function must be deployed by the drill stack',
    );
  });

  test('runs the start step (no AWS call) and returns the state', async () => {
    process.env.DR_DEPLOYMENT = JSON.stringify(deployment);
    process.env.DR_DRILL_REPORT_BUCKET = 'reports';
    const state = (await drill({ step: 'start', drill: { budgets: { rtoSeconds: 396, rpoSeconds: 960 } } })) as {
      targets: unknown;
    };
    expect(state.targets).toEqual({ rtoSeconds: 900, rpoSeconds: 1800 });
  });
});
