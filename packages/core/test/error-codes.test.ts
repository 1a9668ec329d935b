import { AsyncSharedCall, forgetCall, keyOf } from '@shared-call/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Every error core raises that a caller may catch has a stable `code` (Node's convention) or is a web-standard
// DOMException told apart by `name`; docs/api.md lists them all.
const sc = new AsyncSharedCall();
const rejection = (run: () => Promise<unknown>) => run().then(() => undefined, (error: unknown) => error);
const thrown = (run: () => unknown) => rejection(async () => run());

describe('error codes of @shared-call/core', () => {
  test.each([
    ['ERR_INVALID_ARG_TYPE', TypeError, () => rejection(() => sc.call(42 as never, () => 1))],
    ['ERR_INVALID_ARG_TYPE', TypeError, () => thrown(() => sc.group({ keyFn: 'id' as never }))],
    ['ERR_INVALID_ARG_TYPE', TypeError, () => rejection(() => sc.call('k', () => 1, { signal: {} as never }))],
    ['ERR_OUT_OF_RANGE', RangeError, () => rejection(() => sc.call('k', () => 1, { timeoutMs: -1 }))],
    ['ERR_SHARED_CALL_INVALID_KEY', TypeError, () => rejection(() => sc.group({ keyFn: () => 7 as never })(async () => 1)())],
    [
      'ERR_SHARED_CALL_NOT_A_METHOD',
      TypeError,
      () => thrown(() => (sc.group() as (fn: unknown, context: unknown) => unknown)(() => 1, { kind: 'getter' })),
    ],
    [
      'ERR_SHARED_CALL_LEGACY_DECORATOR',
      TypeError,
      () => thrown(() => (sc.group() as (...legacy: unknown[]) => unknown)(class Repo {}.prototype, 'byId', {})),
    ],
    ['ERR_SHARED_CALL_NOT_COALESCED', TypeError, () => thrown(() => keyOf({ m: () => 1 }, 'm'))],
    ['ERR_SHARED_CALL_NOT_COALESCED', TypeError, () => thrown(() => forgetCall({ m: () => 1 }, 'm'))],
  ])('%s (%p)', async (code, type, trigger) => {
    const error = await trigger();
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code });
    expect(Object.keys(error as object)).toContain('code'); // an own, enumerable field: it survives encodeError
  });

  test('a timed-out wait is the web-standard TimeoutError DOMException', async () => {
    const error = await rejection(() => sc.call('slow', () => new Promise(() => {}), { timeoutMs: 1 }));
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    sc.forget('slow');
  });
});

describe('docs/api.md', () => {
  const root = join(__dirname, '..', '..', '..');
  const sourcesOf = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? sourcesOf(join(dir, entry.name)) : [readFileSync(join(dir, entry.name), 'utf8')],
    );

  test('its error table lists exactly the codes the packages raise', () => {
    const raised = new Set(
      readdirSync(join(root, 'packages')).flatMap((pkg) =>
        sourcesOf(join(root, 'packages', pkg, 'src')).flatMap((text) =>
          [...text.matchAll(/['"`](ERR_[A-Z_]+)['"`]/g)].map((m) => m[1]),
        ),
      ),
    );
    const api = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
    const documented = new Set([...api.matchAll(/^\| `(ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...raised].sort());
  });
});
