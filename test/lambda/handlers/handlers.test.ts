import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { resetClients } from '../../../lambda/handlers/clients';
import { failover, restore, status } from '../../../lambda/handlers/index';
import { ssmClient } from '../../../lambda/lib/aws';
import { deploymentOf } from '../../../lib/shared/deployment';
import { defaultConfig } from '../../support/config';
import { contents, motoS3, newBucket, nextSecond, put } from '../../../tools/test-support/s3-fixtures';

// Handlers with fixture events, as Lambda and Step Functions invoke them. Clients come from
// DR_DEPLOYMENT as in Lambda, pointed at the moto server with DR_ENDPOINT_URL; CloudWatch alarm
// state changes, which moto does not simulate, are mocked.
// An app name of its own: suites share one moto server in parallel, and SSM parameter names derive from it.
const deployment = deploymentOf({ ...defaultConfig(), appName: 'handlers-test' });

beforeEach(() => {
  process.env.DR_DEPLOYMENT = JSON.stringify(deployment);
  process.env.DR_ENDPOINT_URL = process.env.MOTO_ENDPOINT;
  resetClients();
});

describe('handlers', () => {
  test('failover: event {apply: true} flips the switch through the standby region', async () => {
    const cw = mockClient(CloudWatchClient);
    // The handler polls the alarm on the real clock (lambda/lib/clock.ts systemClock) every 10 s:
    // fake timers, advanced by the test, stand in for the 10 s wait.
    jest.useFakeTimers();
    try {
      cw.on(DescribeAlarmsCommand)
        .resolvesOnce({ MetricAlarms: [{ StateValue: 'OK' }] })
        .resolves({ MetricAlarms: [{ StateValue: 'ALARM' }] });
      cw.on(PutMetricDataCommand).resolves({});
      const running = failover({ apply: true, waitSeconds: 30 });
      await jest.advanceTimersByTimeAsync(30_000);
      const result = await running;
      expect(result.status).toBe('done');
      expect(await cw.commandCalls(PutMetricDataCommand)[0].thisValue.config.region()).toBe('us-west-2');
    } finally {
      jest.useRealTimers();
      cw.restore();
    }
  }, 30000);

  test('restore: paused results carry the next input, so the state machine loops until done', async () => {
    const s3 = motoS3();
    const bucket = await newBucket(s3);
    await ssmClient({ endpointUrl: process.env.MOTO_ENDPOINT, region: 'us-east-1' }).send(
      new PutParameterCommand({
        Name: deployment.parameters.siteBucket,
        Value: bucket,
        Type: 'String',
        Overwrite: true,
      }),
    );
    for (let i = 0; i < 4; i++) await put(s3, bucket, `k${i}`, 'v1');
    const instant = await nextSecond();
    for (let i = 0; i < 4; i++) await put(s3, bucket, `k${i}`, 'v2');

    let event: any = { bucket: 'primary', to: instant.toISOString(), apply: true, pageSize: 3 };
    let invocations = 0;
    let result: any;
    do {
      // 100 s left is under the 120 s margin: the restore pauses after its first finished key.
      result = await restore(event, { getRemainingTimeInMillis: () => 100_000 });
      invocations++;
      event = result.next;
    } while (result.status === 'paused' && invocations < 20);
    expect(invocations).toBeGreaterThan(1);
    expect(result.status).toBe('done');
    expect(await contents(s3, bucket)).toEqual({ k0: 'v1', k1: 'v1', k2: 'v1', k3: 'v1' });
  });

  test('restore: "to" must be a full instant with a UTC offset ("2026" is not 1 January)', async () => {
    await expect(
      restore({ bucket: 'primary', to: '2026' }, { getRemainingTimeInMillis: () => 900_000 }),
    ).rejects.toThrow(
      new Error(
        'to: got "2026", expected an ISO-8601 instant with a UTC offset, e.g. 2026-11-28T10:00:00Z or 2026-11-28T11:00:00+01:00',
      ),
    );
  });

  test('restore: a bucket other than the two site buckets is refused', async () => {
    await expect(
      restore(
        { bucket: 'someone-elses' as never, to: '2026-01-01T00:00:00Z' },
        { getRemainingTimeInMillis: () => 900_000 },
      ),
    ).rejects.toThrow('bucket: got "someone-elses", expected "primary" or "standby" (the site buckets)');
  });

  test('without DR_DEPLOYMENT a handler says what is wrong', async () => {
    delete process.env.DR_DEPLOYMENT;
    resetClients();
    await expect(status()).rejects.toThrow(
      'DR_DEPLOYMENT is not set: this function must be deployed by the recovery stack',
    );
  });
});
