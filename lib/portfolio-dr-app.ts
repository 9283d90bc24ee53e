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

/** The deployment units of the app, named as the fields of PortfolioDrStacks (the paging stacks go with every unit). */
export const DEPLOYMENT_UNITS = ['data', 'hosting', 'global', 'recovery', 'readiness', 'drill'] as const;
export type DeploymentUnit = (typeof DEPLOYMENT_UNITS)[number];

/** The stacks of some deployment units (each unit is named as its field): the paging stacks and the pager always. */
export type UnitStacks<U extends DeploymentUnit> = Pick<PortfolioDrStacks, 'paging' | 'pager' | U>;

/**
 * Adds the stacks of the DR posture to `app`, and the checks that run at every synth and fail
 * it: cdk-nag's AwsSolutions pack, the project's DR pack, and the RTO/RPO budget check.
 *
 * Deploy order (the dependencies below make `cdk deploy --all` follow it): standby data,
 * primary data, then hosting and recovery in both regions, then the readiness checks (standby),
 * the global DNS stack, then the drill (standby).
 */
export function addPortfolioDr(app: App, config: DrConfig): PortfolioDrStacks {
  return addPortfolioDrUnits(app, config, DEPLOYMENT_UNITS);
}

export interface UnitOptions {
  /**
   * Add the checks that run at synth and fail it (cdk-nag's AwsSolutions pack, the DR pack, the
   * RTO/RPO budget check). Some DR rules look across units (the traffic switch's health check, in
   * the global stack, wants the recovery playbooks deployed in the standby region), so a unit
   * synthesized without the units those rules read fails them: a test that reads one unit's
   * templates under another config turns the checks off (its templates then lack the metadata in
   * which cdk-nag records the acknowledged findings).
   * @default true
   */
  readonly checks?: boolean;
}

/**
 * Adds only the stacks of `units` (and the paging stacks, through which every unit pages), built
 * and wired as addPortfolioDr() builds them, with the dependencies among the stacks built: for
 * tests of one or two stacks under another config, which then skip the cost of the others. Stacks
 * reach each other by deterministic names, never by reference, so a stack's template does not
 * depend on which others are built (test/portfolio-dr-app.test.ts compares them with the whole
 * app's). With `checks`, cdk-nag and the DR pack check what is built, and the RTO/RPO budget check,
 * which reads the data, hosting and global stacks together, is added when those three are built.
 */
export function addPortfolioDrUnits<U extends DeploymentUnit>(
  app: App,
  config: DrConfig,
  units: readonly U[],
  options: UnitOptions = {},
): UnitStacks<U> {
  for (const unit of units) {
    if (!(DEPLOYMENT_UNITS as readonly string[]).includes(unit)) {
      throw new Error(
        `addPortfolioDrUnits: unknown deployment unit "${unit}", expected one of ${DEPLOYMENT_UNITS.join(', ')}`,
      );
    }
  }
  const builds = (unit: DeploymentUnit) => (units as readonly DeploymentUnit[]).includes(unit);
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

  const data = builds('data') ? addData() : undefined;
  function addData(): Record<RegionRole, SiteDataStack> {
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
    return { primary: primaryData, standby: standbyData };
  }

  const hosting = builds('hosting') ? ({} as Record<RegionRole, HostingStack>) : undefined;
  for (const role of hosting ? (['primary', 'standby'] as const) : []) {
    hosting![role] = new HostingStack(app, names.hostingStack(role), {
      env: env(role),
      config,
      role,
      pager,
      description: description(`${role} HTTPS endpoint (${names.regionOf(role)})`),
    });
    // The hosting stack reads SSM parameters the data stack writes.
    if (data) hosting![role].addStackDependency(data[role]);
  }

  const global = builds('global')
    ? new GlobalDnsStack(app, names.globalStack, {
        env: { account: config.account, region: GLOBAL_REGION },
        config,
        pager,
        description: description('health checks, failover DNS, health alarms'),
      })
    : undefined;
  // The failover records look up the regional endpoints, and a health check watches the switch alarm.
  if (global && hosting) {
    global.addStackDependency(hosting.primary);
    global.addStackDependency(hosting.standby);
  }

  const recovery = builds('recovery') ? ({} as Record<RegionRole, RecoveryStack>) : undefined;
  for (const role of recovery ? (['primary', 'standby'] as const) : []) {
    recovery![role] = new RecoveryStack(app, names.recoveryStack(role), {
      env: env(role),
      config,
      role,
      siteBuckets: { primary: names.siteBucket('primary'), standby: names.siteBucket('standby') },
      pager,
      description: description(`recovery playbooks (${names.regionOf(role)})`),
    });
    if (data) {
      recovery![role].addStackDependency(data.primary);
      recovery![role].addStackDependency(data.standby);
    }
  }

  const readiness = builds('readiness')
    ? new ReadinessStack(app, names.readinessStack, {
        env: env('standby'),
        config,
        pager,
        description: description(`readiness checks (${names.regionOf('standby')})`),
      })
    : undefined;
  // The checks read what the data and hosting stacks create (buckets, parameters, vaults, the
  // switch alarm, the APIs and certificates) by name.
  for (const role of readiness ? (['primary', 'standby'] as const) : []) {
    if (data) readiness!.addStackDependency(data[role]);
    if (hosting) readiness!.addStackDependency(hosting[role]);
  }

  // The game-day drill runs in the standby region, where the switch lives. It needs the site
  // buckets (marker), the hosting stacks (switch alarm, APIs) and the global stack (health checks)
  // in place, and the readiness Lambda it invokes by name.
  const drill = builds('drill')
    ? new DrillStack(app, names.drillStack, {
        env: env('standby'),
        config,
        pager,
        siteBuckets: { primary: names.siteBucket('primary'), standby: names.siteBucket('standby') },
        description: description(`game-day drill workflow (${names.regionOf('standby')})`),
      })
    : undefined;
  for (const dependency of [data?.primary, data?.standby, hosting?.primary, hosting?.standby, global, readiness]) {
    if (drill && dependency) drill.addStackDependency(dependency);
  }

  // Recorded in the template so that `drctl posture` can compare targets and budgets from cdk.out alone.
  if (global) global.templateOptions.metadata = { [OBJECTIVES_METADATA]: config.objectives };

  if (options.checks ?? true) {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
      new DrChecks(app),
      // The budgets read the failover records (global), the switch alarm (hosting) and the
      // replication and backup settings (data).
      ...(data && hosting && global ? [new ObjectivesCheck(config.objectives)] : []),
    );
  }
  // Each unit of `units` was built above, so its field is set.
  return { data, hosting, global, recovery, paging, pager, readiness, drill } as UnitStacks<U>;
}
