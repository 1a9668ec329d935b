import fc from 'fast-check';
import { SharedCall } from '@shared-call/sync-workers';
import { encodeKey, fnv1a, RECENT_KEY_LENGTH, RECENT_KEYS } from '../src/table/key-bytes';
import { COLLIDING_KEYS } from './helpers';

/** The encoding key-bytes.ts documents, computed here from scratch: UTF-8, or 0xFF + UTF-16 with lone surrogates. */
function reference(key: string): Buffer {
  return key.isWellFormed() ? Buffer.from(key, 'utf8') : Buffer.concat([Buffer.from([0xff]), Buffer.from(key, 'utf16le')]);
}

/** Keys that stress a cache of key → bytes: equal hashes, prefixes of one another, lone surrogates, long keys. */
const trickyKey = fc.oneof(
  fc.constantFrom(...COLLIDING_KEYS.flat(), 'k', 'k1', 'k10', 'k\u0000', '', 'a\uD800', 'a\uDBFF', 'a\uFFFD'),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ minLength: RECENT_KEY_LENGTH - 2, maxLength: RECENT_KEY_LENGTH + 2 }),
  fc.integer({ min: 0, max: 3 * RECENT_KEYS }).map((n) => `key-${n}`),
);

describe('the per-thread cache of encoded keys', () => {
  test('the colliding keys used here do collide', () => {
    for (const [a, b] of COLLIDING_KEYS) expect(fnv1a(reference(a))).toBe(fnv1a(reference(b)));
  });

  test('every key gets its own exact bytes and hash, cached or not, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(trickyKey, { maxLength: 3 * RECENT_KEYS }), (keys) => {
        for (const key of keys) {
          const { bytes, hash } = encodeKey(key);
          expect(Buffer.compare(bytes, reference(key))).toBe(0);
          expect(hash).toBe(fnv1a(reference(key)));
        }
      }),
      { numRuns: 60 },
    );
  });

  test('distinct keys never share a flight, however often they were seen before (cache warm, full or evicting)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(trickyKey, { minLength: 2, maxLength: 12 }), fc.integer({ min: 0, max: 2 * RECENT_KEYS }), (keys, filler) => {
        const sc = new SharedCall({ slots: 64 });
        for (const key of keys) sc.call(key, () => 0); // cached now (unless long)
        for (let i = 0; i < filler; i++) sc.call(`filler-${i}`, () => 0); // pushes some of them out again
        sc.resetStats();
        // Each key is called while every earlier one is in flight in this thread: a key that matched another
        // would throw a ReentrantCallError (a blocking call waiting on its own thread) instead of running.
        const nest = (i: number): string => (i === keys.length ? '' : sc.call(keys[i]!, () => `${i},${nest(i + 1)}`));
        expect(nest(0)).toBe(keys.map((_, i) => `${i},`).join(''));
        expect(sc.getStats()).toMatchObject({ misses: keys.length, hits: 0 });
      }),
      { numRuns: 40 },
    );
  });
});
