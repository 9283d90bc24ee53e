import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { EXIT } from './exit-codes';

export const DEFAULT_REPORT_NAME = 'dr-posture.md';

/** `drctl posture`: the DR posture report, read from a synthesized app (no AWS access). */
export function postureCommand(): Command {
  return new Command('posture')
    .description('Write the DR posture report of a synthesized app (cdk.out) and print its summary; reads no AWS')
    .option('--cdk-out <dir>', 'the synthesized app', 'cdk.out')
    .option('--output <file>', `where to write the Markdown report (default: <cdk-out>/${DEFAULT_REPORT_NAME})`)
    .option('--json', 'print the report as JSON on stdout instead of the summary')
    .action((opts: { cdkOut: string; output?: string; json?: boolean }) => {
      if (!fs.existsSync(path.join(opts.cdkOut, 'manifest.json'))) {
        process.stderr.write(
          `drctl posture: --cdk-out "${opts.cdkOut}" holds no synthesized app (no manifest.json); run "npx cdk synth" first\n`,
        );
        process.exitCode = EXIT.USAGE;
        return;
      }
      // Loaded on use: the report is synth-side code (it reads cdk.out), and the other commands,
      // `--help` among them, have no need of it. require(), not import(): bin/drctl.js registers
      // tsx for CommonJS only, and a native import() of a .ts file bypasses it.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { loadAssembly } = require('../lib/posture/assembly') as typeof import('../lib/posture/assembly');
      const { PostureError } = require('../lib/posture/objectives') as typeof import('../lib/posture/objectives');
      const { buildPostureReport, renderMarkdown, renderSummary } =
        require('../lib/posture/report') as typeof import('../lib/posture/report');
      /* eslint-enable @typescript-eslint/no-require-imports */
      let report;
      try {
        report = buildPostureReport(loadAssembly(opts.cdkOut));
      } catch (err) {
        if (!(err instanceof PostureError)) throw err;
        process.stderr.write(`drctl posture: ${err.message}\n`);
        process.exitCode = EXIT.FAILED;
        return;
      }
      const output = opts.output ?? path.join(opts.cdkOut, DEFAULT_REPORT_NAME);
      fs.writeFileSync(output, renderMarkdown(report));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        process.stdout.write(`${renderSummary(report)}\nreport written to ${output}\n`);
      }
      process.exitCode = report.objectives.some((o) => o.met === false) ? EXIT.FAILED : EXIT.OK;
    });
}
