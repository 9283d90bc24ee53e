import fc from 'fast-check';
import { DeleteBatcher } from '../../../lambda/lib/restore/delete-batcher';
import { InstantGate } from '../../../lambda/lib/restore/instant-gate';
import type { RestoreAction } from '../../../lambda/lib/restore/planner';
import { checkInstant, RestoreInputError, shortestHorizon } from '../../../lambda/lib/restore/preflight';

// The gate is pure: these tests drive it as the restore's listing does, without S3.
const INSTANT = new Date(10_000);
const at = (seconds: number) => new Date(seconds * 1000);
const del = (key: string): RestoreAction => ({ type: 'delete', key, currentVersionId: `v-${key}` });

/** One listed entry: its time (seconds) and, when its key completes there, the planned action. */
interface Step {
  readonly time: number;
  readonly action?: string;
}

interface Outcome {
  /** Actions released, page by page (the last element is what `takeHeld` returned at the end). */
  readonly released: string[][];
  readonly validated: boolean;
  readonly overflowed: boolean;
  readonly needsSecondPass: boolean;
  /** Actions the gate accepted (admit returned true). */
  readonly admitted: string[];
}

/** Drives a gate over pages of steps the way `listingPass` does, stopping when a second pass is needed. */
function drive(pages: Step[][], options: { validated?: boolean; holdLimit: number }): Outcome {
  const gate = new InstantGate(INSTANT, { validated: options.validated ?? false, holdLimit: options.holdLimit });
  const released: string[][] = [];
  const admitted: string[] = [];
  const keys = (actions: RestoreAction[]) => actions.map((a) => a.key);
  for (const page of pages) {
    for (const step of page) {
      if (gate.observe(at(step.time)) && gate.overflowed) break;
      if (step.action !== undefined && gate.admit(del(step.action))) admitted.push(step.action);
    }
    if (gate.needsSecondPass) break;
    gate.closePage();
    released.push(keys(gate.takeReady()));
  }
  if (!gate.needsSecondPass) released.push(keys(gate.takeHeld()));
  return {
    released,
    validated: gate.validated,
    overflowed: gate.overflowed,
    needsSecondPass: gate.needsSecondPass,
    admitted,
  };
}

describe('InstantGate', () => {
  test.each<[string, Step[][], { validated?: boolean; holdLimit: number }, Partial<Outcome>]>([
    [
      'validated from the checkpoint: every action runs with its page',
      [[{ time: 20, action: 'a' }], [{ time: 30, action: 'b' }]],
      { validated: true, holdLimit: 1 },
      { released: [['a'], ['b'], []], validated: true, overflowed: false },
    ],
    [
      'held until an entry at the instant validates it, then released in planned order',
      [
        [
          { time: 20, action: 'a' },
          { time: 30, action: 'b' },
        ],
        [{ time: 10, action: 'c' }],
      ],
      { holdLimit: 5 },
      { released: [[], ['a', 'b', 'c'], []], validated: true, overflowed: false },
    ],
    [
      'an entry exactly at the instant validates it (at or before)',
      [[{ time: 10 }]],
      { holdLimit: 0 },
      { released: [[], []], validated: true },
    ],
    [
      'never validated: nothing is ever released',
      [[{ time: 20, action: 'a' }], [{ time: 11, action: 'b' }]],
      { holdLimit: 5 },
      { released: [[], [], []], validated: false, overflowed: false },
    ],
    [
      'more than holdLimit held at a page end: overflow, then a second pass once validated',
      [
        [
          { time: 20, action: 'a' },
          { time: 20, action: 'b' },
        ],
        [
          { time: 20, action: 'c' },
          { time: 5, action: 'd' },
        ],
      ],
      { holdLimit: 1 },
      { released: [[]], validated: true, overflowed: true, needsSecondPass: true, admitted: ['a', 'b'] },
    ],
    [
      'exactly holdLimit held does not overflow',
      [
        [
          { time: 20, action: 'a' },
          { time: 20, action: 'b' },
        ],
        [{ time: 5 }],
      ],
      { holdLimit: 2 },
      { released: [[], ['a', 'b'], []], overflowed: false },
    ],
    [
      'overflowed and never validated: no second pass, nothing released',
      [
        [
          { time: 20, action: 'a' },
          { time: 20, action: 'b' },
        ],
        [{ time: 20, action: 'c' }],
      ],
      { holdLimit: 1 },
      { released: [[], [], []], validated: false, overflowed: true, needsSecondPass: false, admitted: ['a', 'b'] },
    ],
  ])('%s', (_name, pages, options, expected) => {
    expect(drive(pages, options)).toMatchObject(expected);
  });

  test('earliest is the oldest entry time seen', () => {
    const gate = new InstantGate(INSTANT, { validated: false, holdLimit: 1 });
    [30, 12, 40].forEach((s) => gate.observe(at(s)));
    expect(gate.earliest).toEqual(at(12));
    expect(gate.validated).toBe(false);
  });

  const steps = fc.array(
    fc.record({
      time: fc.integer({ min: 1, max: 20 }),
      action: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
    }),
    { maxLength: 8 },
  );
  const pages = fc.array(steps, { maxLength: 6 });

  test('property: nothing is released before validation; without overflow, all actions run once, in order', () => {
    fc.assert(
      fc.property(pages, fc.integer({ min: 0, max: 6 }), fc.boolean(), (input, holdLimit, startValidated) => {
        const outcome = drive(input, { holdLimit, validated: startValidated });
        const all = input.flat();
        const firstValid = startValidated ? -1 : all.findIndex((s) => s.time <= INSTANT.getTime() / 1000);
        // Model of the overflow: at some page end before validation, more than holdLimit actions planned.
        let planned = 0;
        let seen = 0;
        let overflow = false;
        for (const page of startValidated ? [] : input) {
          if (firstValid !== -1 && firstValid < seen + page.length) break;
          planned += page.filter((s) => s.action !== undefined).length;
          seen += page.length;
          if (planned > holdLimit) {
            overflow = true;
            break;
          }
        }
        expect(outcome.overflowed).toBe(overflow);
        expect(outcome.validated).toBe(startValidated || firstValid !== -1);
        const releasedFlat = outcome.released.flat();
        if (!outcome.validated || overflow) {
          expect(releasedFlat).toEqual([]);
        } else {
          // Every planned action, once, in planned order.
          expect(releasedFlat).toEqual(all.flatMap((s) => (s.action === undefined ? [] : [s.action])));
          // Pages before the validating one released nothing.
          let before = 0;
          for (const [i, page] of input.entries()) {
            if (startValidated || firstValid < before + page.length) break;
            expect(outcome.released[i]).toEqual([]);
            before += page.length;
          }
        }
        expect(outcome.needsSecondPass).toBe(overflow && firstValid !== -1);
      }),
    );
  });
});

describe('DeleteBatcher', () => {
  test('sends full batches as they fill and the rest on flush', async () => {
    const sent: string[][] = [];
    const batcher = new DeleteBatcher(async (keys) => void sent.push([...keys]), 2);
    for (const key of ['a', 'b', 'c']) await batcher.add(key);
    expect(sent).toEqual([['a', 'b']]);
    expect(batcher.size).toBe(1);
    await batcher.flush();
    await batcher.flush();
    expect(sent).toEqual([['a', 'b'], ['c']]);
  });

  test('property: every key is sent once, in order, in batches of at most the batch size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string(), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), async (keys, size) => {
        const sent: string[][] = [];
        const batcher = new DeleteBatcher(async (batch) => void sent.push([...batch]), size);
        for (const key of keys) await batcher.add(key);
        await batcher.flush();
        expect(sent.flat()).toEqual(keys);
        expect(sent.every((b) => b.length >= 1 && b.length <= size)).toBe(true);
      }),
    );
  });

  test('a batch size that is not a positive integer is refused', () => {
    expect(() => new DeleteBatcher(async () => undefined, 0)).toThrow('batchSize must be a positive integer (got 0)');
  });
});

describe('checks before any write (pure parts)', () => {
  test.each([
    [new Date(Number.NaN), 'the instant is not a valid date'],
    [
      new Date('2026-01-02T00:00:00Z'),
      'the instant 2026-01-02T00:00:00.000Z is in the future (now 2026-01-01T00:00:00.000Z); nothing was written',
    ],
  ])('instant %s is refused', (instant, message) => {
    const check = () => checkInstant(instant, new Date('2026-01-01T00:00:00Z'));
    expect(check).toThrow(RestoreInputError);
    expect(check).toThrow(message);
  });

  test('an instant equal to now is accepted', () => {
    expect(() => checkInstant(new Date(5), new Date(5))).not.toThrow();
  });

  test.each([
    ['no rules', [], 'site/', undefined],
    [
      'a disabled rule is ignored',
      [{ ID: 'r', Status: 'Disabled', NoncurrentVersionExpiration: { NoncurrentDays: 3 } }],
      '',
      undefined,
    ],
    [
      'the shortest enabled rule whose prefix overlaps wins',
      [
        { ID: 'long', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 90 } },
        {
          ID: 'short',
          Status: 'Enabled',
          Filter: { Prefix: 'site/img/' },
          NoncurrentVersionExpiration: { NoncurrentDays: 7 },
        },
        {
          ID: 'other',
          Status: 'Enabled',
          Filter: { Prefix: 'logs/' },
          NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        },
      ],
      'site/',
      { days: 7, ruleId: 'short' },
    ],
    [
      'an And filter prefix and an unnamed rule',
      [
        {
          Status: 'Enabled',
          Filter: { And: { Prefix: 'site/' } },
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        },
      ],
      'site/a/',
      { days: 30, ruleId: '(unnamed)' },
    ],
  ] as const)('horizon: %s', (_name, rules, prefix, expected) => {
    expect(shortestHorizon(rules as never, prefix)).toEqual(expected);
  });
});
