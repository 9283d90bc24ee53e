#!/usr/bin/env node
// drctl: the operator CLI. Runs the TypeScript sources through tsx, so no build step is needed.
// The AWS SDK warns on every run that Node.js 20 support ends in January 2027 (see README).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../cli/main.ts').run();
