import { MAX_KEY_BYTES } from './layout.js';

const encoder = new TextEncoder();
/** One per thread: a key's bytes are needed only while its call looks for or claims a slot (synchronously). */
const scratch = Buffer.allocUnsafeSlow(MAX_KEY_BYTES);

/** A key as the table stores it: its UTF-8 bytes (a view that the next encodeKey overwrites) and its hash. */
export interface KeyBytes {
  readonly bytes: Buffer;
  readonly hash: number;
}

/** Encodes `key` in UTF-8 and hashes it; throws a RangeError when it is longer than {@link MAX_KEY_BYTES}. */
export function encodeKey(key: string): KeyBytes {
  const { read, written } = encoder.encodeInto(key, scratch);
  if (read < key.length) {
    throw new RangeError(`key must be at most ${MAX_KEY_BYTES} bytes in UTF-8, got ${key.length} characters`);
  }
  const bytes = scratch.subarray(0, written);
  return { bytes, hash: fnv1a(bytes) };
}

/** 32-bit FNV-1a. Equal hashes only make two keys compare their bytes: they never share a flight by it. */
export function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash | 0;
}
