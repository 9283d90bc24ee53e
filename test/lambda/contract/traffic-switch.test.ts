import {
  type SwitchAlarmDefinition,
  type SwitchAlarmSettings,
  switchAlarmFingerprint,
  TRAFFIC_SWITCH_ALARM,
} from '../../../lambda/contract/traffic-switch';

const base: SwitchAlarmDefinition = {
  namespace: 'portfolio/DR',
  metricName: 'TrafficSwitchFailover',
  settings: TRAFFIC_SWITCH_ALARM,
};

describe('switchAlarmFingerprint', () => {
  test('the default switch gives a stable fingerprint', () => {
    expect(switchAlarmFingerprint(base)).toBe('3A9220C3');
  });

  test('it does not depend on the order in which the settings were written', () => {
    const reordered = Object.fromEntries(Object.entries(TRAFFIC_SWITCH_ALARM).reverse()) as SwitchAlarmSettings;
    expect(switchAlarmFingerprint({ ...base, settings: reordered })).toBe('3A9220C3');
  });

  test.each<[string, Partial<SwitchAlarmSettings>]>([
    ['period', { periodSeconds: 120 }],
    ['statistic', { statistic: 'Average' }],
    ['threshold', { threshold: 0.5 }],
    ['comparison', { comparisonOperator: 'GreaterThanThreshold' }],
    ['evaluation periods', { evaluationPeriods: 2 }],
    ['datapoints to alarm', { datapointsToAlarm: 2 }],
    ['missing-data treatment', { treatMissingData: 'notBreaching' }],
  ])('a changed %s changes it', (_name, change) => {
    expect(switchAlarmFingerprint({ ...base, settings: { ...TRAFFIC_SWITCH_ALARM, ...change } })).not.toBe('3A9220C3');
  });

  test.each([
    ['namespace', { namespace: 'other/DR' }],
    ['metric name', { metricName: 'Other' }],
  ])('a changed %s changes it', (_name, change) => {
    expect(switchAlarmFingerprint({ ...base, ...change })).not.toBe('3A9220C3');
  });
});
