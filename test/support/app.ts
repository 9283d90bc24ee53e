import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DrConfig } from '../../lib/config';
import {
  addPortfolioDr,
  addPortfolioDrUnits,
  type DeploymentUnit,
  type PortfolioDrStacks,
  type UnitStacks,
} from '../../lib/portfolio-dr-app';
import { Names } from '../../lib/shared/naming';
import { defaultConfig, ROOT, SHARED_CDK_OUT_ENV, UNIT_PROJECT_ENV } from './config';

export { defaultConfig, ROOT };

function refuseInUnitProject(what: string): void {
  if (process.env[UNIT_PROJECT_ENV]) {
    throw new Error(
      `${what} needs the whole app, which unit tests do not synthesize: list this test file in test/support/integration-tests.js`,
    );
  }
}

/** The feature flags of cdk.json, so tests synthesize what `cdk synth` does. */
function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}

export interface TestApp {
  readonly app: App;
  readonly config: DrConfig;
  readonly stacks: PortfolioDrStacks;
}

export interface BuildOptions {
  /**
   * Bundle the Lambda code, as `cdk synth` does. Without it (CDK's `aws:cdk:bundling-stacks`
   * context, empty, which is what `cdk deploy --exclusively` does for the stacks it leaves out) the
   * code asset is not built and its hash is a placeholder: for tests of another config that never
   * look at the Lambda code, since the bundle is a good part of a build's cost.
   * @default true
   */
  readonly bundling?: boolean;
  /**
   * Directory of the cloud assembly.
   * @default - a new temporary directory
   */
  readonly outdir?: string;
}

export interface UnitBuildOptions extends BuildOptions {
  /**
   * Add the synth-time checks (addPortfolioDrUnits()'s `checks`): off for a test that reads one
   * unit's templates under another config, where the DR rules that look across units would fail.
   * @default true
   */
  readonly checks?: boolean;
}

/**
 * Build the whole app (all eight stacks, nag included) on a config, in this process: for tests that
 * need the construct tree or another config. Tests that only read the default app's templates use
 * sharedTemplates() instead, which costs no synthesis.
 */
export function buildApp(config: DrConfig = defaultConfig(), options: BuildOptions = {}): TestApp {
  refuseInUnitProject('buildApp()');
  const context = cdkJsonContext();
  if (options.bundling === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context, outdir: options.outdir });
  return { app, config, stacks: addPortfolioDr(app, config) };
}

/**
 * The construct tree of the whole app on a config, for tests that read the constructs themselves
 * (stack regions and dependencies, nag and DR rule scopes, metadata) and never a template: built as
 * `buildApp(config, { bundling: false })`, and synthesizing it throws.
 */
export function constructTree(config: DrConfig = defaultConfig()): TestApp {
  refuseInUnitProject('constructTree()');
  const tree = buildApp(config, { bundling: false });
  tree.app.synth = () => {
    throw new Error(
      'constructTree() builds no Lambda bundle and cannot be synthesized: use buildApp() or sharedTemplates()',
    );
  };
  return tree;
}

export interface TestUnits<U extends DeploymentUnit> {
  readonly app: App;
  readonly config: DrConfig;
  readonly stacks: UnitStacks<U>;
}

/**
 * Build only some deployment units on a config (lib/portfolio-dr-app.ts addPortfolioDrUnits(): the
 * paging stacks, the stacks of `units`, wired and checked as in the whole app), in this process: for
 * tests of one or two stacks, which then skip building, bundling and synthesizing the others. A
 * unit's templates equal the whole app's (test/portfolio-dr-app.test.ts). Not the whole app, so the
 * unit project may build them too.
 */
export function buildUnits<U extends DeploymentUnit>(
  units: readonly U[],
  config: DrConfig = defaultConfig(),
  options: UnitBuildOptions = {},
): TestUnits<U> {
  const context = cdkJsonContext();
  if (options.bundling === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ context, outdir: options.outdir });
  return { app, config, stacks: addPortfolioDrUnits(app, config, units, { checks: options.checks }) };
}

/** Templates of every stack, by deployment unit. */
export interface AppTemplates {
  readonly dataPrimary: Template;
  readonly dataStandby: Template;
  readonly hostingPrimary: Template;
  readonly hostingStandby: Template;
  readonly global: Template;
  readonly recoveryPrimary: Template;
  readonly recoveryStandby: Template;
  /** The paging stack of the primary's region (us-east-1 in the default config, shared with the global stack). */
  readonly pagingPrimary: Template;
  readonly pagingStandby: Template;
  readonly readiness: Template;
  readonly drill: Template;
}

/** Templates of every stack of an app built in this process (this synthesizes it, once). */
export function templates(t: TestApp): AppTemplates {
  return {
    dataPrimary: Template.fromStack(t.stacks.data.primary),
    dataStandby: Template.fromStack(t.stacks.data.standby),
    hostingPrimary: Template.fromStack(t.stacks.hosting.primary),
    hostingStandby: Template.fromStack(t.stacks.hosting.standby),
    global: Template.fromStack(t.stacks.global),
    recoveryPrimary: Template.fromStack(t.stacks.recovery.primary),
    recoveryStandby: Template.fromStack(t.stacks.recovery.standby),
    pagingPrimary: Template.fromStack(t.stacks.paging.get(t.config.regions.primary)!),
    pagingStandby: Template.fromStack(t.stacks.paging.get(t.config.regions.standby)!),
    readiness: Template.fromStack(t.stacks.readiness),
    drill: Template.fromStack(t.stacks.drill),
  };
}

/**
 * Synthesize the default app, built as buildApp() builds it, into `outdir`. The integration global
 * setup runs this once per test run (test/support/synth-default-app.ts, in a child process).
 */
export function synthesizeDefaultApp(outdir: string): void {
  buildApp(defaultConfig(), { outdir }).app.synth();
}

/**
 * The cloud assembly of the default app, synthesized once for the whole test run by the integration
 * global setup. Every suite reads it; none may write into it (copy it first).
 */
export function sharedCdkOut(): string {
  refuseInUnitProject('sharedCdkOut()');
  const dir = process.env[SHARED_CDK_OUT_ENV];
  if (!dir || !fs.existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(
      `${SHARED_CDK_OUT_ENV} does not name a synthesized app: the integration global setup (test/support/integration-setup.ts) did not run`,
    );
  }
  return dir;
}

let shared: AppTemplates | undefined;

/**
 * Templates of the default app from the shared synthesis: the same JSON as
 * `templates(buildApp())`, without a synthesis per suite.
 */
export function sharedTemplates(): AppTemplates {
  if (shared) return shared;
  const dir = sharedCdkOut();
  const names = new Names(defaultConfig());
  const read = (stackName: string) =>
    Template.fromJSON(JSON.parse(fs.readFileSync(path.join(dir, `${stackName}.template.json`), 'utf8')));
  shared = {
    dataPrimary: read(names.dataStack('primary')),
    dataStandby: read(names.dataStack('standby')),
    hostingPrimary: read(names.hostingStack('primary')),
    hostingStandby: read(names.hostingStack('standby')),
    global: read(names.globalStack),
    recoveryPrimary: read(names.recoveryStack('primary')),
    recoveryStandby: read(names.recoveryStack('standby')),
    pagingPrimary: read(names.pagingStack(names.regionOf('primary'))),
    pagingStandby: read(names.pagingStack(names.regionOf('standby'))),
    readiness: read(names.readinessStack),
    drill: read(names.drillStack),
  };
  return shared;
}
