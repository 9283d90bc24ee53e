import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { failbackBlockers } from '../../../lambda/lib/traffic/readiness';
import { deployment, fakeFetch } from '../../support/deployment';
import { fakeListingS3, type FakeObject, obj } from '../../support/fake-s3';

// Failback readiness with fake clients (the moto suite, readiness.test.ts, covers the same against
// S3 itself): the check is read-only, whatever it finds.

const healthz = 'https://us-east-1.www.example.com/healthz';
const healthy = fakeFetch({ [healthz]: [200, 'portfolio-ok release=bootstrap\n'] });

function regions(primary: FakeObject[], standby: FakeObject[], ssmValues = { primary: 'site-p', standby: 'site-s' }) {
  const s3 = { primary: fakeListingS3({ 'site-p': primary }), standby: fakeListingS3({ 'site-s': standby }) };
  const ssm = { primary: new SSMClient({ region: 'us-east-1' }), standby: new SSMClient({ region: 'us-west-2' }) };
  const ssmMocks = { primary: mockClient(ssm.primary), standby: mockClient(ssm.standby) };
  for (const role of ['primary', 'standby'] as const) {
    ssmMocks[role]
      .on(GetParameterCommand, { Name: deployment.parameters.siteBucket })
      .resolves({ Parameter: { Value: ssmValues[role] } });
  }
  const clients = { ssm, s3: { primary: s3.primary.client, standby: s3.standby.client } };
  /** Every request either bucket's client received: only listings, never a write. */
  const s3Requests = () =>
    [...s3.primary.mock.calls(), ...s3.standby.mock.calls()].map((c) => (c.args[0] as object).constructor.name);
  return { clients, s3, ssmMocks, s3Requests };
}

const site = [obj('releases/r1/healthz'), obj('releases/r1/index.html'), obj('releases/r1/style.css')];

describe('failback blockers', () => {
  test('a healthy primary holding what the standby holds: ready', async () => {
    const { clients, s3Requests } = regions(site, site);
    expect(await failbackBlockers(deployment, { ...clients, fetch: healthy.fetch })).toEqual([]);
    expect(healthy.calls).toContain(healthz);
    expect(s3Requests()).toEqual(['ListObjectsV2Command', 'ListObjectsV2Command']);
  });

  test.each<[string, FakeObject[], FakeObject[], string]>([
    [
      'an object the standby lacks (replication behind)',
      [...site, obj('releases/r2/index.html')],
      site,
      '1 missing in the standby, 0 differing, 0 only in the standby',
    ],
    [
      'an object the standby holds differently',
      site,
      [site[0], obj('releases/r1/index.html', { size: 101 }), site[2]],
      '0 missing in the standby, 1 differing, 0 only in the standby',
    ],
    [
      'an object written to the standby during the failover',
      site,
      [...site, obj('releases/hotfix/index.html')],
      '0 missing in the standby, 0 differing, 1 only in the standby',
    ],
    [
      'all three at once',
      [...site, obj('a-new.html'), obj('b-new.html')],
      [
        obj('hotfix.html'),
        site[0],
        obj('releases/r1/index.html', { etag: '"ffffffffffffffffffffffffffffffff"' }),
        site[2],
      ],
      '2 missing in the standby, 1 differing, 1 only in the standby',
    ],
  ])('%s blocks failback, and neither bucket is written to', async (_name, primary, standby, counts) => {
    const { clients, s3, s3Requests } = regions(primary, standby);
    expect(await failbackBlockers(deployment, { ...clients, fetch: healthy.fetch })).toEqual([
      `primary and standby content differ (${counts}): run verify-replication and reconcile first`,
    ]);
    // Read-only: a repair (apply) would copy into the standby; nothing but listings may be sent.
    expect(s3.primary.copies).toEqual([]);
    expect(s3.standby.copies).toEqual([]);
    expect(new Set(s3Requests())).toEqual(new Set(['ListObjectsV2Command']));
  });

  test('the primary bucket is compared as the source and the standby as the replica', async () => {
    const { clients, s3 } = regions(site, site);
    await failbackBlockers(deployment, { ...clients, fetch: healthy.fetch });
    expect(s3.primary.mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Bucket)).toEqual(['site-p']);
    expect(s3.standby.mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Bucket)).toEqual(['site-s']);
  });

  test.each<[string, Parameters<typeof fakeFetch>[0], string]>([
    ['answers 503', { [healthz]: [503, 'Service Unavailable'] }, 'HTTP 503'],
    [
      'answers 200 without the search string',
      { [healthz]: [200, 'maintenance'] },
      'body does not contain "portfolio-ok"',
    ],
    ['does not resolve', {}, 'getaddrinfo ENOTFOUND us-east-1.www.example.com'],
  ])('a primary whose /healthz %s blocks failback, naming the URL and the reason', async (_name, table, reason) => {
    const { clients } = regions(site, site);
    expect(await failbackBlockers(deployment, { ...clients, fetch: fakeFetch(table).fetch })).toEqual([
      `the primary is not healthy (${healthz}: ${reason})`,
    ]);
  });

  test('an unhealthy primary with drifted content: both blockers, health first', async () => {
    const { clients } = regions(site, [...site, obj('x')]);
    const down = fakeFetch({ [healthz]: [503, ''] });
    expect(await failbackBlockers(deployment, { ...clients, fetch: down.fetch })).toEqual([
      `the primary is not healthy (${healthz}: HTTP 503)`,
      'primary and standby content differ (0 missing in the standby, 0 differing, 1 only in the standby): run verify-replication and reconcile first',
    ]);
  });

  test('a site bucket that cannot be looked up blocks failback with the reason, nothing listed', async () => {
    const { clients, s3Requests } = regions(site, site, { primary: 'site-p', standby: '' });
    expect(await failbackBlockers(deployment, { ...clients, fetch: healthy.fetch })).toEqual([
      'cannot compare primary and standby content: SSM parameter /portfolio/site-bucket-name is empty in us-west-2',
    ]);
    expect(s3Requests()).toEqual([]);
  });

  test('a listing that fails blocks failback with the reason', async () => {
    const { clients, s3 } = regions(site, site);
    s3.standby.mock
      .on(ListObjectsV2Command)
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    expect(await failbackBlockers(deployment, { ...clients, fetch: healthy.fetch })).toEqual([
      'cannot compare primary and standby content: Access Denied',
    ]);
  });
});
