import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { ssmClient } from '../../../lambda/lib/aws';
import { failbackBlockers } from '../../../lambda/lib/traffic/readiness';
import { deploymentOf } from '../../../lib/shared/deployment';
import { defaultConfig } from '../../support/config';
import { fakeFetch } from '../../support/deployment';
import { motoS3, newBucket, put } from '../../../tools/test-support/s3-fixtures';

// Failback readiness on moto: site bucket names from each region's SSM parameter, content compared
// by streaming both listings; the primary's /healthz through a fake fetch.
// An app name of its own: suites share one moto server in parallel, and SSM parameter names derive from it.
const deployment = deploymentOf({ ...defaultConfig(), appName: 'readiness-test' });
const s3 = motoS3();
const ssm = {
  primary: ssmClient({ endpointUrl: process.env.MOTO_ENDPOINT, region: 'us-east-1' }),
  standby: ssmClient({ endpointUrl: process.env.MOTO_ENDPOINT, region: 'us-west-2' }),
};
const healthy = fakeFetch({ 'https://us-east-1.www.example.com/healthz': [200, 'portfolio-ok release=bootstrap\n'] });
const down = fakeFetch({ 'https://us-east-1.www.example.com/healthz': [503, 'Service Unavailable'] });

async function sites(extraInStandby = false) {
  const primary = await newBucket(s3);
  const standby = await newBucket(s3);
  for (const b of [primary, standby]) await put(s3, b, 'releases/bootstrap/index.html', 'home');
  if (extraInStandby) await put(s3, standby, 'releases/hotfix/index.html', 'written during the failover');
  for (const [role, bucket] of [
    ['primary', primary],
    ['standby', standby],
  ] as const) {
    await ssm[role].send(
      new PutParameterCommand({
        Name: deployment.parameters.siteBucket,
        Value: bucket,
        Type: 'String',
        Overwrite: true,
      }),
    );
  }
  return { ssm, s3: { primary: s3, standby: s3 } };
}

describe('failback readiness', () => {
  test('a healthy primary with the same content as the standby: no blocker', async () => {
    expect(await failbackBlockers(deployment, { ...(await sites()), fetch: healthy.fetch })).toEqual([]);
  });

  test('an unhealthy primary blocks failback, naming the URL and the reason', async () => {
    expect(await failbackBlockers(deployment, { ...(await sites()), fetch: down.fetch })).toEqual([
      'the primary is not healthy (https://us-east-1.www.example.com/healthz: HTTP 503)',
    ]);
  });

  test('content written to the standby during the failover blocks failback', async () => {
    expect(await failbackBlockers(deployment, { ...(await sites(true)), fetch: healthy.fetch })).toEqual([
      'primary and standby content differ (0 missing in the standby, 0 differing, 1 only in the standby): run verify-replication and reconcile first',
    ]);
  });
});
