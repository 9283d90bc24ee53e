import { deployment } from '../../support/deployment';

const watchLiveRelease = jest.fn(async (..._: unknown[]) => ({ outcome: 'ignored', key: 'releases/x/a' }));
// jest.mock is hoisted above the declarations: the factory reaches them only when called.
jest.mock('../../../lambda/lib/live-release-watch', () => ({
  watchLiveRelease: (...a: unknown[]) => watchLiveRelease(...a),
}));

// Imported after the mock is in place.
import { liveReleaseChanged } from '../../../lambda/handlers';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:portfolio-page-high';
const ENV = {
  DR_DEPLOYMENT: JSON.stringify(deployment),
  DR_PAGE_TOPIC_ARN: TOPIC,
  DR_PAGE_RUNBOOK: 'Runbook: docs/runbooks/live-release-changed.md',
  AWS_REGION: 'us-east-1',
};

describe('liveReleaseChanged handler', () => {
  const saved = { ...process.env };
  let log: jest.SpyInstance;
  beforeEach(() => {
    Object.assign(process.env, ENV);
    jest.clearAllMocks();
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    log.mockRestore();
    process.env = { ...saved };
  });

  test('logs the event first, then judges it with the parameter, topic, app name and runbook of the deployment', async () => {
    const event = { source: 'aws.s3', detail: { object: { key: 'releases/x/a' } } };
    expect(await liveReleaseChanged(event)).toEqual({ outcome: 'ignored', key: 'releases/x/a' });
    expect(log.mock.calls[0]).toEqual([JSON.stringify({ liveReleaseWatch: event })]);
    const [passed, deps] = watchLiveRelease.mock.calls[0] as [unknown, Record<string, unknown>];
    expect(passed).toBe(event);
    expect(deps).toMatchObject({
      parameter: '/portfolio/live-release',
      topicArn: TOPIC,
      appName: 'portfolio',
      runbook: 'Runbook: docs/runbooks/live-release-changed.md',
    });
    expect(await (deps.ssm as any).config.region()).toBe('us-east-1');
  });

  test('refuses to run without its topic and runbook, naming both variables', async () => {
    delete process.env.DR_PAGE_TOPIC_ARN;
    await expect(liveReleaseChanged({})).rejects.toThrow(
      'DR_PAGE_TOPIC_ARN and DR_PAGE_RUNBOOK must be set: this function must be deployed by the recovery stack',
    );
    expect(watchLiveRelease).not.toHaveBeenCalled();
  });
});
