import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type DrConfig, loadConfig } from '../../lib/config';
import { addPortfolioDr, type PortfolioDrStacks } from '../../lib/portfolio-dr-app';

export const ROOT = path.join(__dirname, '..', '..');

/** The default config shipped in the repo. */
export function defaultConfig(): DrConfig {
  return loadConfig(path.join(ROOT, 'config', 'default.json'));
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

/** Build the whole app (all five stacks, nag included) on a config. */
export function buildApp(config: DrConfig = defaultConfig()): TestApp {
  const app = new App({ context: cdkJsonContext() });
  return { app, config, stacks: addPortfolioDr(app, config) };
}

/** Templates of every stack, by deployment unit. */
export function templates(t: TestApp) {
  return {
    dataPrimary: Template.fromStack(t.stacks.data.primary),
    dataStandby: Template.fromStack(t.stacks.data.standby),
    hostingPrimary: Template.fromStack(t.stacks.hosting.primary),
    hostingStandby: Template.fromStack(t.stacks.hosting.standby),
    global: Template.fromStack(t.stacks.global),
  };
}
