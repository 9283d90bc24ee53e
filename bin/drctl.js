#!/usr/bin/env node
// drctl: the operator CLI. Runs the TypeScript sources through tsx, so no build step is needed.
require('tsx/cjs');
require('../lib/cli/main.ts').run();
