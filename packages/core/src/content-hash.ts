import objectHash from 'object-hash';

/**
 * The SHA-1 digest (40 hex digits) that object-hash computes for the string `text`: the same in every thread and
 * process. The only use of object-hash in core: automatic keys hand it their own injective text, never values,
 * since its own serialization merges values that differ (functions by source text, `-0` with `0`, array holes,
 * DataViews, boxed with bare primitives, symbol-keyed properties).
 */
export function contentHash(text: string): string {
  return objectHash(text);
}
