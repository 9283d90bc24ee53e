import { type Deployment, parseDeployment } from '../../lambda/contract/deployment';
import { REPLICATION_RULE_ID } from '../../lambda/contract/replication';
import { HEALTH_PATH } from '../../lambda/contract/site';
import { TRAFFIC_SWITCH_ALARM } from '../../lambda/contract/traffic-switch';
import type { DrConfig } from '../config';
import { Names } from './naming';

/**
 * The playbooks' view of a deployment, derived from its config and validated against the
 * contract's schema (the same one the Lambdas apply to DR_DEPLOYMENT). No CDK import: drctl loads
 * this file.
 */
export function deploymentOf(config: DrConfig): Deployment {
  const names = new Names(config);
  return parseDeployment(
    {
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
    },
    `the deployment record derived from config ${config.appName}`,
  );
}
