import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { DrConfig } from './config';
import { SiteDataStack } from './data/site-data-stack';
import { GlobalDnsStack } from './global/global-dns-stack';
import { HostingStack } from './hosting/hosting-stack';
import { RecoveryStack } from './recovery/recovery-stack';
import { DrillStack } from './drill/drill-stack';
import { OBJECTIVES_METADATA } from './posture/assembly';
import { DrChecks } from './posture/dr-checks';
import { ObjectivesCheck } from './posture/objectives-check';
import { GLOBAL_REGION, type RegionRole } from '../lambda/contract/regions';
import { Names } from './shared/naming';

/** Every stack of one deployment, by deployment unit. */
export interface PortfolioDrStacks {
  readonly data: Record<RegionRole, SiteDataStack>;
  readonly hosting: Record<RegionRole, HostingStack>;
  readonly global: GlobalDnsStack;
  readonly recovery: Record<RegionRole, RecoveryStack>;
  readonly drill: DrillStack;
}

/**
 * Adds the stacks of the DR posture to `app`, and the checks that run at every synth and fail
 * it: cdk-nag's AwsSolutions pack, the project's DR pack, and the RTO/RPO budget check.
 *
 * Deploy order (the dependencies below make `cdk deploy --all` follow it): standby data,
 * primary data, then hosting and recovery in both regions, then the global DNS stack, then the drill.
 */
export function addPortfolioDr(app: App, config: DrConfig): PortfolioDrStacks {
  const names = new Names(config);
  const env = (role: RegionRole) => ({ account: config.account, region: names.regionOf(role) });
  const description = (what: string) => `${config.appName} DR: ${what}`;

  const standbyData = new SiteDataStack(app, names.dataStack('standby'), {
    env: env('standby'),
    config,
    role: 'standby',
    description: description(`standby content, backups (${names.regionOf('standby')})`),
  });
  const primaryData = new SiteDataStack(app, names.dataStack('primary'), {
    env: env('primary'),
    config,
    role: 'primary',
    description: description(`primary content, replication, backups (${names.regionOf('primary')})`),
  });
  // S3 refuses a replication rule whose destination bucket does not exist yet.
  primaryData.addStackDependency(standbyData);
  const data = { primary: primaryData, standby: standbyData };

  const hosting = {} as Record<RegionRole, HostingStack>;
  for (const role of ['primary', 'standby'] as const) {
    hosting[role] = new HostingStack(app, names.hostingStack(role), {
      env: env(role),
      config,
      role,
      description: description(`${role} HTTPS endpoint (${names.regionOf(role)})`),
    });
    // The hosting stack reads SSM parameters the data stack writes.
    hosting[role].addStackDependency(data[role]);
  }

  const global = new GlobalDnsStack(app, names.globalStack, {
    env: { account: config.account, region: GLOBAL_REGION },
    config,
    description: description('health checks, failover DNS, paging'),
  });
  // The failover records look up the regional endpoints, and a health check watches the switch alarm.
  global.addStackDependency(hosting.primary);
  global.addStackDependency(hosting.standby);

  const recovery = {} as Record<RegionRole, RecoveryStack>;
  for (const role of ['primary', 'standby'] as const) {
    recovery[role] = new RecoveryStack(app, names.recoveryStack(role), {
      env: env(role),
      config,
      role,
      siteBuckets: { primary: names.siteBucket('primary'), standby: names.siteBucket('standby') },
      description: description(`recovery playbooks (${names.regionOf(role)})`),
    });
    recovery[role].addStackDependency(data.primary);
    recovery[role].addStackDependency(data.standby);
  }

  // The game-day drill runs in the standby region, where the switch lives. It needs the site
  // buckets (marker), the hosting stacks (switch alarm, APIs) and the global stack (health checks)
  // in place; the readiness Lambda it invokes by name is deployed with the readiness checks.
  // Paging: its own PagingTopic until the urgency pagers are wired in (pass `pager:` here).
  const drill = new DrillStack(app, names.drillStack, {
    env: env('standby'),
    config,
    siteBuckets: { primary: names.siteBucket('primary'), standby: names.siteBucket('standby') },
    description: description(`game-day drill workflow (${names.regionOf('standby')})`),
  });
  for (const dependency of [data.primary, data.standby, hosting.primary, hosting.standby, global]) {
    drill.addStackDependency(dependency);
  }

  // Recorded in the template so that `drctl posture` can compare targets and budgets from cdk.out alone.
  global.templateOptions.metadata = { [OBJECTIVES_METADATA]: config.objectives };

  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    new DrChecks(app),
    new ObjectivesCheck(config.objectives),
  );
  return { data, hosting, global, recovery, drill };
}
