import { Command } from 'commander';
import { s3Client } from '../lambda/lib/aws';
import { restoreToInstant, type RestoreResult } from '../lambda/lib/restore/restore';
import { awsOptions, type CommonFlags, withApply, withCommonOptions } from './common-options';
import { EXIT } from './exit-codes';
import { parseInstantOption } from './option-parsers';
import { Output } from './output';

interface RestoreFlags extends CommonFlags {
  readonly bucket: string;
  readonly prefix?: string;
  readonly to: Date;
  readonly apply?: boolean;
}

/** `drctl restore`: put a versioned bucket (or prefix) back to its state at an instant, in place. */
export function restoreCommand(): Command {
  const command = new Command('restore')
    .description(
      'Put a versioned bucket (or prefix) back to exactly its state at an instant, by writing new versions and delete markers. History is kept, so a restore can be undone by another restore.',
    )
    .requiredOption('--bucket <name>', 'the versioned bucket')
    .option('--prefix <prefix>', 'restore only keys under this prefix')
    .requiredOption('--to <instant>', 'ISO-8601 instant with offset, e.g. 2026-11-28T10:00:00Z', parseInstantOption);
  return withApply(withCommonOptions(command)).action(async (flags: RestoreFlags) => {
    const out = new Output(flags.json === true);
    const instant = flags.to;
    const where = `s3://${flags.bucket}/${flags.prefix ?? ''}`;
    out.say(
      `${flags.apply ? 'Restoring' : 'Planning (dry run, nothing is written)'} ${where} to ${instant.toISOString()}`,
    );
    let result: RestoreResult;
    try {
      // A RestoreInputError (bad input, nothing written) reaches main, which exits 2.
      result = await restoreToInstant(
        { bucket: flags.bucket, prefix: flags.prefix, instant, apply: flags.apply === true },
        {
          s3: s3Client(awsOptions(flags)),
          onProgress: (t) =>
            out.progress(
              `listed ${t.entries} versions of ${t.keys} keys; ${t.copies} to copy back, ${t.deletes} to hide`,
            ),
        },
      );
    } finally {
      out.endProgress();
    }
    printSummary(out, result);
    out.result(result);
    process.exitCode = result.status === 'failed' ? EXIT.FAILED : EXIT.OK;
  });
}

function printSummary(out: Output, r: RestoreResult): void {
  const t = r.totals;
  if (r.sample.length > 0) {
    out.say(r.dryRun ? 'Plan (first actions):' : 'Done (first actions):');
    for (const a of r.sample) {
      out.say(
        a.type === 'copy'
          ? `  copy   ${a.key} <- version ${a.sourceVersionId}`
          : `  delete ${a.key} (hide behind a delete marker)`,
      );
    }
  }
  out.say(
    `${r.dryRun ? 'Would copy' : 'Copied'} ${t.copies} key(s) back (${t.bytesCopied} bytes) and ${r.dryRun ? 'would hide' : 'hid'} ${t.deletes}, ` +
      `of ${t.keys} keys (${t.entries} versions) in ${r.seconds.toFixed(1)} s.`,
  );
  out.say(
    `API calls: ${Object.entries(r.calls)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')}`,
  );
  if (t.settledByLedger > 0) out.say(`${t.settledByLedger} key(s) already restored earlier (restore ledger).`);
  for (const f of r.failures) out.error(`  FAILED ${f.operation} ${f.key}: ${f.code} ${f.message}`);
  if (r.failures.length > 0) out.error(`${r.failures.length} key(s) failed; run the same command again to finish.`);
  if (r.dryRun && t.copies + t.deletes > 0) out.say('Run again with --apply to carry it out.');
  if (!r.dryRun) out.say('To undo: restore again to an instant just before this run.');
}
