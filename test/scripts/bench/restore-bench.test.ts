import { type Calibration, estimate, fitPageCost } from '../../../scripts/bench/restore-estimate';
import { BenchOptionsError, parseRestoreBenchOptions } from '../../../scripts/bench/restore-options';

describe('bench:restore options (node:util parseArgs)', () => {
  test('defaults', () => {
    expect(parseRestoreBenchOptions([])).toEqual({
      keys: 10000,
      concurrency: 16,
      inFlight: 48,
      sample: 200,
      maxMinutes: 60,
      backend: 'moto',
      json: false,
      peer: true,
      estimateOnly: false,
      force: false,
      help: false,
    });
  });

  test('every option', () => {
    expect(
      parseRestoreBenchOptions([
        '--keys',
        '500',
        '--concurrency=4',
        '--in-flight',
        '8',
        '--sample',
        '10',
        '--max-minutes',
        '5',
        '--backend',
        'memory',
        '--json',
        '--no-peer',
        '--estimate',
        '--force',
      ]),
    ).toEqual({
      keys: 500,
      concurrency: 4,
      inFlight: 8,
      sample: 10,
      maxMinutes: 5,
      backend: 'memory',
      json: true,
      peer: false,
      estimateOnly: true,
      force: true,
      help: false,
    });
  });

  test.each([
    [['--keys', '0'], '--keys: got 0, expected a positive whole number'],
    [['--sample', '1.5'], '--sample: got 1.5, expected a positive whole number'],
    [['--in-flight', 'many'], '--in-flight: got many, expected a positive whole number'],
    [['--backend', 's3'], '--backend: got s3, expected moto or memory'],
    [['--bogus'], "Unknown option '--bogus'; see --help"],
    [['extra'], "Unexpected argument 'extra'. This command does not take positional arguments; see --help"],
  ])('%j is refused: %s', (argv, message) => {
    const parse = () => parseRestoreBenchOptions(argv);
    expect(parse).toThrow(BenchOptionsError);
    expect(parse).toThrow(message);
  });
});

describe('bench:restore estimate model', () => {
  test('the page cost is the least-squares line through the calibration points, never negative', () => {
    expect(
      fitPageCost([
        [1000, 0.2],
        [2000, 0.3],
        [3000, 0.4],
      ]),
    ).toEqual({ fixed: expect.closeTo(0.1, 9), perVersion: expect.closeTo(0.0001, 9) });
    expect(
      fitPageCost([
        [1000, 0.3],
        [2000, 0.2],
      ]).perVersion,
    ).toBe(0);
  });

  test('populate, listing and copies add up, per bucket', () => {
    const c: Calibration = { putsPerSecond: 100, pageSeconds: { fixed: 1, perVersion: 0 }, points: [] };
    // 1,000 keys: 3,000 versions + 100 delete markers = 4 pages of 1 s; 1,000 copies at 100/s.
    expect(estimate(c, 1000, 2)).toEqual({
      populateSeconds: 60,
      listingSecondsPerRestore: 4,
      copySecondsPerRestore: 10,
      totalSeconds: 60 + 2 * 14,
    });
  });
});
