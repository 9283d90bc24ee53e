import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { DrConfig } from './config';
import { SiteDataStack } from './data/site-data-stack';
import { GlobalDnsStack } from './global/global-dns-stack';
import { HostingStack } from './hosting/hosting-stack';
import { RecoveryStack } from './recovery/recovery-stack';
import { DrillStack } from './drill/drill-stack';
import { ReadinessStack } from './readiness/readiness-stack';
import { OBJECTIVES_METADATA } from './posture/assembly';
import { DrChecks } from './posture/dr-checks';
import { ObjectivesCheck } from './posture/objectives-check';
import { GLOBAL_REGION, type RegionRole } from '../lambda/contract/regions';
import { Names } from './shared/naming';
import { PagingStack } from './paging/paging-stack';
import { TopicPager } from './paging/topic-pager';

/** Every stack of one deployment, by deployment unit. */
export interface PortfolioDrStacks {
  readonly data: Record<RegionRole, SiteDataStack>;
  readonly hosting: Record<RegionRole, HostingStack>;
  readonly global: GlobalDnsStack;
  readonly recovery: Record<RegionRole, RecoveryStack>;
  /** The paging stack of each region that raises alarms (primary, standby, us-east-1), by region. */
  readonly paging: ReadonlyMap<string, PagingStack>;
  /** Pages any alarm through the paging stack of its region; for the stacks added beside these. */
  readonly pager: TopicPager;
  readonly readiness: ReadinessStack;
  readonly drill: DrillStack;
}

/**
 * Adds the stacks of the DR posture to `app`, and the checks that run at every synth and fail
 * it: cdk-nag's AwsSolutions pack, the project's DR pack, and the RTO/RPO budget check.
 *
 * Deploy order (the dependencies below make `cdk deploy --all` follow it): standby data,
 * primary data, then hosting and recovery in both regions, then the readiness checks (standby),
 * the global DNS stack, then the drill (standby).
 */
export function addPortfolioDr(app: App, config: DrConfig): PortfolioDrStacks {
  const names = new Names(config);
  const env = (role: RegionRole) => ({ account: config.account, region: names.regionOf(role) });
  const description = (what: string) => `${config.appName} DR: ${what}`;

  // One paging stack per region that raises alarms, so that each subscription is confirmed once per
  // region and urgency, whatever the number of stacks that page (docs/adr/0009-paging-by-urgency.md).
  const paging = new Map<string, PagingStack>();
  for (const region of new Set([names.regionOf('primary'), names.regionOf('standby'), GLOBAL_REGION])) {
    paging.set(
      region,
      new PagingStack(app, names.pagingStack(region), {
        env: { account: config.account, region },
        config,
        description: description(`paging topics by urgency (${region})`),
      }),
    );
  }
  const pager = new TopicPager(names, (region) => paging.get(region));

  const standbyData = new SiteDataStack(app, names.dataStack('standby'), {
    env: env('standby'),
    config,
    role: 'standby',
    pager,
    description: description(`standby content, backups (${names.regionOf('standby')})`),
  });
  const primaryData = new SiteDataStack(app, names.dataStack('primary'), {
    env: env('primary'),
    config,
    role: 'primary',
    pager,
    description: description(`primary content, replication, backups (${names.regionOf('primary')})`),
  });
  // S3 refuses a replication rule whose destination bucket does not exist yet.
  primaryData.addStackDependency(standbyData);
  // Each data stack's backup job rules publish to its region's low-urgency paging topic.
  for (const stack of [standbyData, primaryData]) {
    stack.addStackDependency(paging.get(stack.region)!, 'its backup job rules publish to the paging topics');
  }
  const data = { primary: primaryData, standby: standbyData };

  const hosting = {} as Record<RegionRole, HostingStack>;
  for (const role of ['primary', 'standby'] as const) {
    hosting[role] = new HostingStack(app, names.hostingStack(role), {
      env: env(role),
      config,
      role,
      pager,
      description: description(`${role} HTTPS endpoint (${names.regionOf(role)})`),
    });
    // The hosting stack reads SSM parameters the data stack writes.
    hosting[role].addStackDependency(data[role]);
  }

  const global = new GlobalDnsStack(app, names.globalStack, {
    env: { account: config.account, region: GLOBAL_REGION },
    config,
    pager,
    description: description('health checks, failover DNS, health alarms'),
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
      pager,
      description: description(`recovery playbooks (${names.regionOf(role)})`),
    });
    recovery[role].addStackDependency(data.primary);
    recovery[role].addStackDependency(data.standby);
  }

  const readiness = new ReadinessStack(app, names.readinessStack, {
    env: env('standby'),
    config,
    pager,
    description: description(`readiness checks (${names.regionOf('standby')})`),
  });
  // The checks read what the data and hosting stacks create (buckets, parameters, vaults, the
  // switch alarm, the APIs and certificates) by name.
  for (const role of ['primary', 'standby'] as const) {
    readiness.addStackDependency(data[role]);
    readiness.addStackDependency(hosting[role]);
  }

  // The game-day drill runs in the standby region, where the switch lives. It needs the site
  // buckets (marker), the hosting stacks (switch alarm, APIs) and the global stack (health checks)
  // in place, and the readiness Lambda it invokes by name.
  const drill = new DrillStack(app, names.drillStack, {
    env: env('standby'),
    config,
    pager,
    siteBuckets: { primary: names.siteBucket('primary'), standby: names.siteBucket('standby') },
    description: description(`game-day drill workflow (${names.regionOf('standby')})`),
  });
  for (const dependency of [data.primary, data.standby, hosting.primary, hosting.standby, global, readiness]) {
    drill.addStackDependency(dependency);
  }

  // Recorded in the template so that `drctl posture` can compare targets and budgets from cdk.out alone.
  global.templateOptions.metadata = { [OBJECTIVES_METADATA]: config.objectives };

  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    new DrChecks(app),
    new ObjectivesCheck(config.objectives),
  );
  return { data, hosting, global, recovery, paging, pager, readiness, drill };
}
