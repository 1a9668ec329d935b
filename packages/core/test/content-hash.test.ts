import fc from 'fast-check';
import objectHash from 'object-hash';

type ContentHashModule = typeof import('../src/content-hash');

/** A fresh module registry in which `installers` (paths under src/) ran first; returns its content-hash module. */
function freshContentHash(...installers: string[]): ContentHashModule & { keys: typeof import('../src/keys') } {
  let loaded!: ContentHashModule & { keys: typeof import('../src/keys') };
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const installer of installers) require(`../src/${installer}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = { ...(require('../src/content-hash') as ContentHashModule), keys: require('../src/keys') };
  });
  return loaded;
}

describe('content hash (how object-hash is loaded)', () => {
  test('without an installer (the portable entry), long keys stay spelled out in full: exact, only longer', () => {
    const { keys } = freshContentHash();
    const long = Array.from({ length: 100 }, (_, i) => ({ i, at: new Date(i) }));
    expect(keys.argumentKey(long)).toMatch(/^h/);
    expect(keys.argumentKey(long).length).toBeGreaterThan(512);
    expect(keys.argumentKey(long)).toBe(keys.argumentKey(structuredClone(long)));
    long[99]!.i = -1;
    expect(keys.argumentKey(long)).not.toBe(keys.argumentKey(structuredClone(long).map((x, i) => (i === 99 ? { ...x, i: 99 } : x))));
    const hashed = freshContentHash('node-content-hash');
    expect(hashed.keys.argumentKey(long)).toMatch(/^h[0-9a-f]{40}$/);
  });

  test("Node's installer and the portable one give object-hash's own digests", () => {
    const node = freshContentHash('node-content-hash');
    const portable = freshContentHash('object-hash');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        const digest = objectHash(text);
        expect(node.contentHash(text)).toBe(digest);
        expect(portable.contentHash(text)).toBe(digest);
      }),
      { numRuns: 300 },
    );
  });

  test('the first installer stays (core loaded twice, or both entries imported)', () => {
    const { contentHash, installContentHash } = freshContentHash('node-content-hash');
    const digest = contentHash('a key text');
    installContentHash(() => 'other');
    expect(contentHash('a key text')).toBe(digest);
  });
});
