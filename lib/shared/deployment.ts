import type { Deployment } from '../../lambda/lib/deployment';
import type { DrConfig } from '../config';
import { REPLICATION_RULE_ID } from '../data/site-bucket';
import { HEALTH_PATH } from '../global/global-dns-stack';
import { Names } from './naming';
import { TRAFFIC_SWITCH_ALARM } from './traffic-switch-settings';

/** The playbooks' view of a deployment, derived from its config. */
export function deploymentOf(config: DrConfig): Deployment {
  const names = new Names(config);
  return {
    appName: config.appName,
    domainName: config.domainName,
    regions: { ...config.regions },
    regionalHosts: { primary: names.regionalHost('primary'), standby: names.regionalHost('standby') },
    trafficSwitch: {
      region: config.regions.standby,
      alarmName: names.trafficSwitchAlarm,
      namespace: names.trafficSwitchNamespace,
      metricName: names.trafficSwitchMetric,
      periodSeconds: TRAFFIC_SWITCH_ALARM.periodSeconds,
    },
    healthCheck: { path: HEALTH_PATH, searchString: config.healthCheck.searchString },
    parameters: { siteBucket: names.siteBucketParameter, liveRelease: names.liveReleaseParameter },
    backupVaultName: names.backupVault,
    replicationRuleId: REPLICATION_RULE_ID,
    rpoMinutes: config.objectives.rpoMinutes,
    rtoMinutes: config.objectives.rtoMinutes,
  };
}
