/**
 * What the playbooks need to know about one deployment of the DR stacks. Everything here is
 * derived from the config (see lib/shared/deployment.ts); Lambdas receive it as the environment
 * variable DR_DEPLOYMENT, the CLI builds it from the config file.
 */
export interface Deployment {
  readonly appName: string;
  readonly domainName: string;
  readonly regions: { readonly primary: string; readonly standby: string };
  /** Host names that reach one region directly: `<region>.<domain>`. */
  readonly regionalHosts: { readonly primary: string; readonly standby: string };
  readonly trafficSwitch: {
    readonly region: string;
    readonly alarmName: string;
    readonly namespace: string;
    readonly metricName: string;
    /**
     * Period of the switch alarm's statistic, in seconds (TRAFFIC_SWITCH_ALARM in
     * lib/shared/traffic-switch-settings.ts). Failback waits for a period that holds no `1`.
     */
    readonly periodSeconds: number;
  };
  readonly healthCheck: { readonly path: string; readonly searchString: string };
  readonly parameters: { readonly siteBucket: string; readonly liveRelease: string };
  readonly backupVaultName: string;
  readonly replicationRuleId: string;
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
}

export type Role = 'primary' | 'standby';

export const ROLES: readonly Role[] = ['primary', 'standby'];

/** Read DR_DEPLOYMENT (set by the recovery stack) or fail with what is wrong. */
export function deploymentFromEnv(env: NodeJS.ProcessEnv = process.env): Deployment {
  const raw = env.DR_DEPLOYMENT;
  if (!raw) throw new Error('DR_DEPLOYMENT is not set: this function must be deployed by the recovery stack');
  try {
    return JSON.parse(raw) as Deployment;
  } catch (err) {
    throw new Error(`DR_DEPLOYMENT is not valid JSON: ${(err as Error).message}`);
  }
}
