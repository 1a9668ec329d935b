import fc from 'fast-check';
import { escapeName, flightNamer, flightNames } from '../src/names.js';
import { client, closeAll, coalescer, freshNamespace, leaseHolder } from './helpers';

afterEach(closeAll);

/** Strings of any UTF-16 code units, lone surrogates included, and of whole code points. */
const anyString = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii' }));
const names = fc.tuple(anyString, anyString);

/** The part of a Redis key that Redis Cluster hashes: between the first `{` and the next `}`, if not empty. */
function hashTag(name: string): string {
  const open = name.indexOf('{');
  const close = name.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? name.slice(open + 1, close) : name;
}

/** What Redis stores: the name as UTF-8 bytes (a lone surrogate would become U+FFFD on the way). */
const bytes = (name: string) => Buffer.from(name, 'utf8').toString('hex');

describe('names', () => {
  test('escaping keeps the separators out and every flight in one hash slot', () => {
    expect(escapeName('a:b{c}%')).toBe('a%3ab%7bc%7d%25');
    expect(flightNames('', 'x')).toEqual({
      key: 'x',
      lease: 'shared-call:{:x}:lease',
      result: 'shared-call:{:x}:result',
      channel: 'shared-call:{:x}:done',
      trace: 'shared-call:{:x}:trace',
      fence: 'shared-call:{:x}:fence',
      waiters: 'shared-call:{:x}:waiters',
    });
  });

  test('lone surrogates are escaped; whole code points are kept', () => {
    expect(escapeName('user:\uD800')).toBe('user%3a%ud800');
    expect(escapeName('\uDBFF\uDC00\uDC00x\uD800')).toBe('\uDBFF\uDC00%udc00x%ud800');
    expect(bytes(escapeName('user:\uD800'))).not.toBe(bytes(escapeName('user:\uDBFF')));
  });

  test('distinct (namespace, key) pairs never share a name, as Redis stores it; all names share one hash tag', () => {
    fc.assert(
      fc.property(names, names, ([ns1, key1], [ns2, key2]) => {
        const a = flightNames(ns1, key1);
        const b = flightNames(ns2, key2);
        const same = ns1 === ns2 && key1 === key2;
        expect(bytes(a.lease) === bytes(b.lease)).toBe(same);
        expect(bytes(a.result) === bytes(b.result)).toBe(same);
        expect(bytes(a.channel) === bytes(b.channel)).toBe(same);
        for (const name of [a.lease, a.result, a.channel]) {
          expect(hashTag(name)).toBe(escapeName(ns1) + ':' + escapeName(key1));
          expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name); // well-formed: nothing lost in UTF-8
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("one namespace's namer, reused for many keys, names each key under that namespace alone", () => {
    fc.assert(
      fc.property(anyString, fc.array(anyString, { maxLength: 20 }), (namespace, keys) => {
        const namer = flightNamer(namespace);
        for (const key of keys) {
          const tag = escapeName(namespace) + ':' + escapeName(key);
          expect(namer(key)).toMatchObject({ key, lease: `shared-call:{${tag}}:lease`, waiters: `shared-call:{${tag}}:waiters` });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('keys differing only in a lone surrogate do not share a flight in Redis', async () => {
    const namespace = freshNamespace();
    const [a, b] = [coalescer({ namespace }), coalescer({ namespace })];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = a.call('user:\uD800', async () => {
      await gate;
      return 'D800';
    });
    await leaseHolder(namespace, 'user:\uD800');
    // Were the names equal, b would wait for a's flight (and receive 'D800').
    const other = b.call('user:\uDBFF', () => 'DBFF', { timeoutMs: 5000 }).finally(release);
    await expect(other).resolves.toBe('DBFF');
    expect(await first).toBe('D800');
    expect(await client().exists(flightNames(namespace, 'user:\uDBFF').result)).toBe(1);
  });

  test('namespaces differing only in a lone surrogate never read each other\'s results', async () => {
    const [a, b] = [coalescer({ namespace: 't-\uD800' }), coalescer({ namespace: 't-\uDC00' })];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const secret = a.call('k', async () => {
      await gate;
      return 'secret of t-D800';
    });
    await leaseHolder('t-\uD800', 'k');
    const own = b.call('k', () => 'own value', { timeoutMs: 5000 }).finally(release);
    await expect(own).resolves.toBe('own value');
    expect(await secret).toBe('secret of t-D800');
  });
});
