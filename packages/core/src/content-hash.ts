/** A digest of a key's text: equal texts give equal digests, in every thread, process and bundle. */
export type ContentHasher = (text: string) => string;

let hasher: ContentHasher | undefined;

/**
 * The object-hash digest (SHA-1, 40 hex digits) of `text`, an argument's injective key text (never a value:
 * object-hash's own serialization merges values that differ — functions by source text, `-0` with `0`, array
 * holes, DataViews, boxed with bare primitives, symbol-keyed properties). object-hash is not imported here but
 * installed by an entry module, so that a bundle carries it only when the app asks for it: core's Node entry
 * (`node.ts`, the "node" export condition) and `internal.ts` install it with Node's native sha1; browsers and
 * edge runtimes `import '@shared-call/core/object-hash'`. Where none is installed, `text` itself is returned:
 * keys stay exact, only longer.
 */
export function contentHash(text: string): string {
  return hasher === undefined ? text : hasher(text);
}

/** Installs the hasher behind {@link contentHash}. The first one stays: every installer computes the same digests. */
export function installContentHash(hash: ContentHasher): void {
  hasher ??= hash;
}
