import { withCode } from './error-code.js';
import { describe } from './validate.js';

/** A digest of an object's contents that ignores property order: equal contents give equal digests. */
export type ContentHasher = (value: object) => string;

let hasher: ContentHasher | undefined;

/**
 * The object-hash digest of `value` (sha1 of its canonical serialization; property order ignored). object-hash is
 * not imported here but installed by an entry module, so that a bundle carries it only when the app can need it:
 * core's Node entry (`node.ts`, the "node" export condition) installs it with Node's native sha1, browsers and edge
 * runtimes `import '@shared-call/core/object-hash'` once. Without one, throws a TypeError (`code`
 * `ERR_SHARED_CALL_NO_CONTENT_HASH`) that says which import enables it.
 */
export function contentHash(value: object): string {
  if (hasher === undefined) {
    throw withCode(
      new TypeError(
        `an automatic key for ${describe(value)} needs a content hash, which this build of @shared-call/core ` +
          `loads only on request: import '@shared-call/core/object-hash' once at startup, or pass keyFn`,
      ),
      'ERR_SHARED_CALL_NO_CONTENT_HASH',
    );
  }
  return hasher(value);
}

/** Installs the hasher behind {@link contentHash}. The first one stays: every installer computes the same digests. */
export function installContentHash(hash: ContentHasher): void {
  hasher ??= hash;
}
