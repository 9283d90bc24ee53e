#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { addPortfolioDr } from '../lib/portfolio-dr-app';

const app = new App();
const configPath: string = app.node.tryGetContext('config') ?? DEFAULT_CONFIG_PATH;
try {
  addPortfolioDr(app, loadConfig(configPath));
} catch (err) {
  if (err instanceof ConfigError) {
    // A config mistake is the user's to fix: say what is wrong, without a stack trace.
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
