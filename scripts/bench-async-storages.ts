/**
 * `npm run bench:async-storages`: what leaked AsyncLocalStorage instances cost every promise in a
 * process, the cost behind test/support/file-async-storages.js (README, "Mutation testing").
 *
 * Jest-circus 30 puts one AsyncLocalStorage to use per test file and never disables it; a Stryker
 * test runner process runs thousands of test files. This puts N storages to use, as N test files
 * would, and times a loop of awaits with them enabled, then again once they are disabled, as the
 * mutation runs' environment does at each file's end. Prints the median of the runs for each N.
 *
 *   npm run bench:async-storages -- [--runs N] [--awaits N]   (defaults: 3 runs, 20000 awaits)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseArgs } from 'node:util';

const STORAGE_COUNTS = [0, 100, 1000, 2000];

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name}: got ${value}, expected a positive whole number`);
    process.exit(2);
  }
  return n;
}

function options(): { runs: number; awaits: number } {
  let values;
  try {
    ({ values } = parseArgs({
      options: { runs: { type: 'string', default: '3' }, awaits: { type: 'string', default: '20000' } },
    }));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  return { runs: positive('runs', values.runs), awaits: positive('awaits', values.awaits) };
}

async function awaitLoop(awaits: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < awaits; i++) await Promise.resolve(i);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function median(runs: number, awaits: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await awaitLoop(awaits));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function main(): Promise<void> {
  const { runs, awaits } = options();
  console.log(`${awaits} awaits, median of ${runs} runs, Node.js ${process.version}`);
  console.log('storages in use | enabled (leaked) | disabled at file end');
  for (const count of STORAGE_COUNTS) {
    const storages = Array.from({ length: count }, () => new AsyncLocalStorage<object>());
    for (const storage of storages) storage.run({}, () => undefined);
    const leaked = await median(runs, awaits);
    for (const storage of storages) storage.disable();
    const released = await median(runs, awaits);
    console.log(
      `${String(count).padStart(15)} | ${leaked.toFixed(1).padStart(13)} ms | ${released.toFixed(1).padStart(17)} ms`,
    );
  }
}

void main();
