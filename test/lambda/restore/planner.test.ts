import fc from 'fast-check';
import {
  isMultipartEtag,
  planKey,
  planRestore,
  type RestoreAction,
  sameSinglePartContent,
  StreamingPlanner,
} from '../../../lambda/lib/restore/planner';
import { compareEntries, type VersionEntry } from '../../../lambda/lib/restore/versions';

// A small model of a versioned bucket: each key's history, newest first, as S3 lists it.
type Bucket = Map<string, VersionEntry[]>;

interface Event {
  readonly key: string;
  readonly op: 'put' | 'delete';
  readonly content: number;
}

let nextId = 0;
const newId = () => `v${++nextId}`;
const etagOf = (content: number) => `"etag-${content}"`;

/** Apply events at times 1, 2, 3... (strictly increasing, so the truth is unambiguous). */
function build(events: Event[], nullFirst: Set<string>): Bucket {
  const bucket: Bucket = new Map();
  events.forEach((e, i) => {
    const history = bucket.get(e.key) ?? [];
    const versionId = history.length === 0 && nullFirst.has(e.key) ? 'null' : newId();
    history.forEach((v) => ((v as { isLatest: boolean }).isLatest = false));
    history.unshift({
      key: e.key,
      versionId,
      lastModified: new Date((i + 1) * 1000),
      isLatest: true,
      isDeleteMarker: e.op === 'delete',
      etag: e.op === 'put' ? etagOf(e.content) : undefined,
      size: e.op === 'put' ? e.content : undefined,
    });
    bucket.set(e.key, history);
  });
  return bucket;
}

/** Listing order: every entry, key ascending, newest first. */
const listing = (bucket: Bucket): VersionEntry[] => [...bucket.values()].flat().sort(compareEntries);

/** key -> etag of what a reader sees at `instant` (absent keys omitted). */
function stateAt(bucket: Bucket, instant: number): Map<string, string> {
  const state = new Map<string, string>();
  for (const [key, history] of bucket) {
    const entry = history.find((v) => v.lastModified.getTime() <= instant);
    if (entry && !entry.isDeleteMarker) state.set(key, entry.etag!);
  }
  return state;
}

/** What S3 does with the plan: a copy is a new version with the source's content, a delete a new marker. */
function apply(bucket: Bucket, actions: RestoreAction[], now: number): void {
  for (const a of actions) {
    const history = bucket.get(a.key)!;
    expect(history[0].versionId).toBe(a.currentVersionId);
    history.forEach((v) => ((v as { isLatest: boolean }).isLatest = false));
    if (a.type === 'copy') {
      const source = history.find((v) => v.versionId === a.sourceVersionId)!;
      history.unshift({ ...source, versionId: newId(), lastModified: new Date(now), isLatest: true });
    } else {
      history.unshift({
        key: a.key,
        versionId: newId(),
        lastModified: new Date(now),
        isLatest: true,
        isDeleteMarker: true,
      });
    }
  }
}

const keys = fc.constantFrom('a', 'b', 'b/c', 'index.html', 'z', 'é.txt', '😀');
const event = fc.record({
  key: keys,
  op: fc.constantFrom<'put' | 'delete'>('put', 'put', 'delete'),
  content: fc.integer({ min: 1, max: 4 }),
});

describe('restore planner properties', () => {
  test('applying the plan yields exactly the state at the instant, and a second plan is empty', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.subarray(['a', 'b', 'index.html']),
        (events, at, nulls) => {
          const bucket = build(events, new Set(nulls));
          const instant = (at % (events.length + 2)) * 1000; // from before the first event to after the last
          const expected = stateAt(bucket, instant);

          const plan = planRestore(listing(bucket), new Date(instant));
          apply(bucket, plan, (events.length + 10) * 1000);

          expect(stateAt(bucket, Number.MAX_SAFE_INTEGER)).toEqual(expected);
          expect(planRestore(listing(bucket), new Date(instant))).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('the plan is minimal: one action per key whose current state differs, none otherwise', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 40 }), fc.nat(), (events, at) => {
        const bucket = build(events, new Set());
        const instant = (at % (events.length + 2)) * 1000;
        const before = stateAt(bucket, instant);
        const now = stateAt(bucket, Number.MAX_SAFE_INTEGER);
        const differing = [...bucket.keys()].filter((k) => before.get(k) !== now.get(k)).sort();
        const plan = planRestore(listing(bucket), new Date(instant));
        expect(plan.map((a) => a.key).sort()).toEqual(differing);
      }),
      { numRuns: 300 },
    );
  });

  test('the streaming planner gives the same plan however the listing is cut into pages', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 7 }),
        (events, at, pageSize) => {
          const bucket = build(events, new Set());
          const entries = listing(bucket);
          const instant = new Date((at % (events.length + 2)) * 1000);
          const planner = new StreamingPlanner(instant);
          const actions: RestoreAction[] = [];
          for (let i = 0; i < entries.length; i += pageSize) {
            for (const entry of entries.slice(i, i + pageSize)) {
              const { action } = planner.push(entry);
              if (action) actions.push(action);
            }
          }
          const { action } = planner.finish();
          if (action) actions.push(action);
          expect(actions).toEqual(planRestore(entries, instant));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('restore planner cases', () => {
  const MULTIPART = '"0123456789abcdef0123456789abcdef-3"';
  const MULTIPART_12 = '"0123456789abcdef0123456789abcdef-12"';
  const v = (key: string, versionId: string, t: number, extra: Partial<VersionEntry> = {}): VersionEntry => ({
    key,
    versionId,
    lastModified: new Date(t * 1000),
    isLatest: false,
    isDeleteMarker: false,
    etag: `"${versionId}"`,
    size: 10,
    ...extra,
  });

  test('a key that did not exist at the instant is deleted (a delete marker hides it)', () => {
    expect(planKey([v('k', 'v1', 5, { isLatest: true })], new Date(1000))).toEqual({
      type: 'delete',
      key: 'k',
      currentVersionId: 'v1',
    });
  });

  test('a key deleted since the instant is brought back from its version at the instant', () => {
    const history = [v('k', 'dm', 9, { isLatest: true, isDeleteMarker: true, etag: undefined }), v('k', 'v1', 2)];
    expect(planKey(history, new Date(5000))).toMatchObject({
      type: 'copy',
      sourceVersionId: 'v1',
      currentVersionId: 'dm',
    });
  });

  test('a version written before versioning ("null" id) is restored like any other', () => {
    const history = [v('k', 'v2', 9, { isLatest: true }), v('k', 'null', 1)];
    expect(planKey(history, new Date(5000))).toMatchObject({ type: 'copy', sourceVersionId: 'null' });
  });

  test("an instant exactly at a version's LastModified includes that version", () => {
    const history = [v('k', 'v2', 9, { isLatest: true }), v('k', 'v1', 5)];
    expect(planKey(history, new Date(5000))).toMatchObject({ type: 'copy', sourceVersionId: 'v1' });
    expect(planKey(history, new Date(4999))).toEqual({ type: 'delete', key: 'k', currentVersionId: 'v2' });
  });

  test('same second, neither latest: the version wins over the delete marker (the object is kept)', () => {
    const history = [
      v('k', 'v3', 9, { isLatest: true }),
      v('k', 'dm', 5, { isDeleteMarker: true, etag: undefined }),
      v('k', 'v2', 5),
    ].sort(compareEntries);
    expect(history.map((e) => e.versionId)).toEqual(['v3', 'v2', 'dm']);
    expect(planKey(history, new Date(5000))).toMatchObject({ type: 'copy', sourceVersionId: 'v2' });
  });

  test('same second, the delete marker is latest: it is the newer, the key stays deleted', () => {
    const history = [v('k', 'v2', 5), v('k', 'dm', 5, { isLatest: true, isDeleteMarker: true, etag: undefined })].sort(
      compareEntries,
    );
    expect(history.map((e) => e.versionId)).toEqual(['dm', 'v2']);
    expect(planKey(history, new Date(6000))).toBeUndefined();
  });

  test("a current copy with the target's single-part ETag and size is the same content: no action", () => {
    const history = [
      v('k', 'copy', 9, { isLatest: true, etag: '"same"' }),
      v('k', 'v2', 7),
      v('k', 'v1', 3, { etag: '"same"' }),
    ];
    expect(planKey(history, new Date(4000))).toBeUndefined();
  });

  test('multipart ETags prove nothing: a copy is planned unless the caller knows better', () => {
    const history = [v('k', 'copy', 9, { isLatest: true, etag: MULTIPART }), v('k', 'v1', 3, { etag: MULTIPART })];
    expect(planKey(history, new Date(4000))).toMatchObject({ type: 'copy', sourceVersionId: 'v1' });
    expect(planKey(history, new Date(4000), (c, t) => c.versionId === 'copy' && t.versionId === 'v1')).toBeUndefined();
  });

  test('keys out of listing order are refused', () => {
    const planner = new StreamingPlanner(new Date(0));
    planner.push(v('b', 'v1', 1));
    expect(() => planner.push(v('a', 'v2', 1))).toThrow('listing out of order: "a" after "b"');
  });

  test('keys are ordered by UTF-8 bytes, as S3 lists them', () => {
    const entries = [v('\uFF61', 'x', 1), v('😀', 'y', 1)].sort(compareEntries);
    expect(entries.map((e) => e.key)).toEqual(['\uFF61', '😀']);
  });

  test('a copy carries the size and ETag of the version it restores, and those of the version it replaces', () => {
    // The executor picks a multipart copy above 5 GiB from `size`, and the ledger check compares both pairs.
    const GiB = 1024 ** 3;
    const history = [
      v('k', 'v3', 9, { isLatest: true, etag: '"cur"', size: 7 }),
      v('k', 'v2', 4, { etag: MULTIPART, size: 6 * GiB }),
    ];
    expect(planKey(history, new Date(5000))).toEqual({
      type: 'copy',
      key: 'k',
      sourceVersionId: 'v2',
      size: 6 * GiB,
      etag: MULTIPART,
      currentVersionId: 'v3',
      currentEtag: '"cur"',
      currentSize: 7,
    });
  });

  test('over a delete marker, a copy names the marker and no current ETag or size', () => {
    const history = [
      v('k', 'dm', 9, { isLatest: true, isDeleteMarker: true, etag: undefined, size: undefined }),
      v('k', 'v1', 2),
    ];
    const action = planKey(history, new Date(5000));
    expect(action).toEqual({
      type: 'copy',
      key: 'k',
      sourceVersionId: 'v1',
      size: 10,
      etag: '"v1"',
      currentVersionId: 'dm',
    });
    expect(action).not.toHaveProperty('currentEtag');
    expect(action).not.toHaveProperty('currentSize');
  });

  test('a version listed without ETag or size is copied (size 0 when S3 gave none), never taken as equal', () => {
    const history = [
      v('k', 'v2', 9, { isLatest: true, etag: undefined, size: 10 }),
      v('k', 'v1', 3, { etag: undefined, size: undefined }),
    ];
    expect(planKey(history, new Date(4000))).toEqual({
      type: 'copy',
      key: 'k',
      sourceVersionId: 'v1',
      size: 0,
      etag: undefined,
      currentVersionId: 'v2',
      currentEtag: undefined,
      currentSize: 10,
    });
  });

  test('the current version itself at the instant: nothing to do; a deleted key deleted at the instant too', () => {
    expect(planKey([v('k', 'v1', 3, { isLatest: true })], new Date(4000))).toBeUndefined();
    // A multipart ETag proves nothing between two versions, but this is one version.
    expect(planKey([v('k', 'v1', 3, { isLatest: true, etag: MULTIPART })], new Date(4000))).toBeUndefined();
    const gone = [v('k', 'dm', 9, { isLatest: true, isDeleteMarker: true }), v('k', 'v1', 2)];
    expect(planKey(gone, new Date(1000))).toBeUndefined();
    expect(planKey([], new Date(1000))).toBeUndefined();
  });

  test.each<[string, Partial<VersionEntry>, Partial<VersionEntry>, boolean]>([
    ['same single-part ETag and size', { etag: '"aa"', size: 5 }, { etag: '"aa"', size: 5 }, true],
    ['same ETag, other size', { etag: '"aa"', size: 5 }, { etag: '"aa"', size: 6 }, false],
    ['other ETag, same size', { etag: '"aa"', size: 5 }, { etag: '"bb"', size: 5 }, false],
    ['no ETag on either', { etag: undefined, size: 5 }, { etag: undefined, size: 5 }, false],
    ['same multipart ETag (3 parts)', { etag: MULTIPART, size: 5 }, { etag: MULTIPART, size: 5 }, false],
    ['same multipart ETag (12 parts)', { etag: MULTIPART_12, size: 5 }, { etag: MULTIPART_12, size: 5 }, false],
  ])('sameSinglePartContent: %s -> %p', (_name, current, target, same) => {
    expect(sameSinglePartContent(v('k', 'v2', 9, current), v('k', 'v1', 3, target))).toBe(same);
  });

  test.each<[string | undefined, boolean]>([
    ['"0123456789abcdef0123456789abcdef-3"', true],
    ['"0123456789abcdef0123456789abcdef-12"', true],
    ['"0123456789abcdef0123456789abcdef-10000"', true],
    ['0123456789ABCDEF0123456789ABCDEF-2', true],
    ['"0123456789abcdef0123456789abcdef"', false],
    ['"0123456789abcdef0123456789abcdef-"', false],
    ['"0123456789abcdef0123456789abcde-3"', false],
    ['x"0123456789abcdef0123456789abcdef-3"', false],
    ['"0123456789abcdef0123456789abcdef-3"x', false],
    ['"0123456789abcdef0123456789abcdefg-3"', false],
    [undefined, false],
  ])('isMultipartEtag(%p) is %p', (etag, multipart) => {
    expect(isMultipartEtag(etag)).toBe(multipart);
  });

  test('a plan of several keys, one action per key that changed, in listing order', () => {
    const entries = [
      v('a', 'a2', 9, { isLatest: true }),
      v('a', 'a1', 2),
      v('b', 'b1', 2, { isLatest: true }),
      v('c', 'c1', 9, { isLatest: true }),
    ];
    expect(planRestore(entries, new Date(5000))).toEqual([
      expect.objectContaining({ type: 'copy', key: 'a', sourceVersionId: 'a1' }),
      { type: 'delete', key: 'c', currentVersionId: 'c1' },
    ]);
    expect(planRestore([], new Date(5000))).toEqual([]);
  });

  test('the streaming planner reports each completed key and keeps the open one', () => {
    const planner = new StreamingPlanner(new Date(5000));
    expect(planner.openKey).toBeUndefined();
    expect(planner.finish()).toStrictEqual({});
    expect(planner.push(v('a', 'a2', 9, { isLatest: true }))).toStrictEqual({});
    expect(planner.push(v('a', 'a1', 2))).toStrictEqual({});
    expect(planner.openKey).toBe('a');
    expect(planner.push(v('b', 'b1', 2, { isLatest: true }))).toEqual({
      completedKey: 'a',
      action: expect.objectContaining({ type: 'copy', sourceVersionId: 'a1' }),
    });
    expect(planner.openKey).toBe('b');
    expect(planner.finish()).toEqual({ completedKey: 'b', action: undefined });
    expect(planner.openKey).toBeUndefined();
    expect(planner.finish()).toStrictEqual({});
    // After the end of one listing it starts afresh.
    expect(planner.push(v('c', 'c1', 9, { isLatest: true }))).toStrictEqual({});
    expect(planner.finish()).toEqual({
      completedKey: 'c',
      action: { type: 'delete', key: 'c', currentVersionId: 'c1' },
    });
  });
});
