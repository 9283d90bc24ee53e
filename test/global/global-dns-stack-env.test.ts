import { App } from 'aws-cdk-lib';
import { GlobalDnsStack } from '../../lib/global/global-dns-stack';
import type { AlarmPager } from '../../lib/shared/alarm-pager';
import { defaultConfig } from '../support/config';

/** Never reached: the region checks throw before any alarm is paged. */
const pager: AlarmPager = { page: () => undefined };

// The region checks run first in the constructor, so these need no synthesis of the app.
describe('GlobalDnsStack env', () => {
  test('refuses a stack without env.region, naming the stack', () => {
    expect(() => new GlobalDnsStack(new App(), 'g', { config: defaultConfig(), pager })).toThrow(
      'GlobalDnsStack g: env.region is not set; it must be "us-east-1" (Route 53 metrics live there)',
    );
    expect(
      () => new GlobalDnsStack(new App(), 'g', { config: defaultConfig(), pager, env: { account: '111111111111' } }),
    ).toThrow('GlobalDnsStack g: env.region is not set; it must be "us-east-1" (Route 53 metrics live there)');
  });

  test('refuses a region other than us-east-1', () => {
    expect(
      () =>
        new GlobalDnsStack(new App(), 'g', {
          config: defaultConfig(),
          pager,
          env: { account: '111111111111', region: 'eu-west-1' },
        }),
    ).toThrow('GlobalDnsStack g: env.region must be "us-east-1" (Route 53 metrics live there), got "eu-west-1"');
  });
});
