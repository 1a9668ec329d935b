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

// Values with Dates, Maps, Sets, typed arrays, sparse arrays, null prototypes: everything object-hash serializes.
const contents = fc.anything({
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBigInt: true,
  maxDepth: 3,
});

describe('content hash (how object-hash is loaded)', () => {
  test('without an installer (the portable entry), a key that needs it throws a TypeError that names the fix', () => {
    const { keys } = freshContentHash();
    expect(keys.argumentKey({ plain: [1, 'data'] })).toMatch(/^j/); // plain data never needs it
    let thrown: unknown;
    try {
      keys.argumentKey(new Date(0));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect(thrown).toMatchObject({ code: 'ERR_SHARED_CALL_NO_CONTENT_HASH' });
    expect((thrown as Error).message).toMatch(/import '@shared-call\/core\/object-hash'.*or pass keyFn/);
  });

  test("Node's installer and the portable one give object-hash's own digests", () => {
    const node = freshContentHash('node-content-hash');
    const portable = freshContentHash('object-hash');
    fc.assert(
      fc.property(fc.oneof(contents, fc.date(), fc.array(contents)), (value) => {
        const boxed = Object(value) as object;
        const digest = objectHash(boxed);
        expect(node.contentHash(boxed)).toBe(digest);
        expect(portable.contentHash(boxed)).toBe(digest);
      }),
      { numRuns: 300 },
    );
  });

  test('the first installer stays (core loaded twice, or both entries imported)', () => {
    const { contentHash, installContentHash } = freshContentHash('node-content-hash');
    const digest = contentHash([new Date(1)]);
    installContentHash(() => 'other');
    expect(contentHash([new Date(1)])).toBe(digest);
  });
});
