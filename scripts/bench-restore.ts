/**
 * `npm run bench:restore`: point-in-time restore of a versioned bucket on moto, measured. See
 * `npm run bench:restore -- --help` (the text is USAGE in scripts/bench/restore-options.ts).
 *
 * The pieces, in scripts/bench/: restore-options.ts (the command line), restore-estimate.ts (the
 * run-time model that refuses runs of hours), restore-run.ts (the processes and the run),
 * restore-output.ts (the table and the JSON summary).
 *
 * Exit 0 when the benchmark ran and our restore verified; 1 otherwise; 2 on a bad command line.
 */
import * as fs from 'node:fs';
import { BenchOptionsError, parseRestoreBenchOptions, type RestoreBenchOptions, USAGE } from './bench/restore-options';
import { renderTable } from './bench/restore-output';
import { cleanUp, progress, runRestoreBenchmark, running, stopChildrenOnExit } from './bench/restore-run';

let options: RestoreBenchOptions;
try {
  options = parseRestoreBenchOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof BenchOptionsError)) throw err;
  console.error(err.message);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

process.env.AWS_ACCESS_KEY_ID = 'bench';
process.env.AWS_SECRET_ACCESS_KEY = 'bench';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
stopChildrenOnExit();

runRestoreBenchmark(options)
  .then((result) => {
    if (typeof result === 'number') {
      process.exitCode = result;
      return;
    }
    if (options.json) console.log(JSON.stringify(result, null, 2));
    else console.log(renderTable(result));
    process.exitCode = result.passed ? 0 : 1;
  })
  .catch((err: unknown) => {
    progress(`bench:restore failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    const { proxy, moto, workDir } = running();
    await proxy?.close();
    await moto?.stop();
    cleanUp();
    if (workDir && process.exitCode === 0) fs.rmSync(workDir, { recursive: true, force: true });
    else if (workDir) progress(`work files (moto's request log, the peer's output) kept in ${workDir}`);
  });
