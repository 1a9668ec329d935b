import { withCode } from '@shared-call/core/internal';
import { MAX_KEY_BYTES } from './layout.js';

const encoder = new TextEncoder();
/** One per thread: a key's bytes are needed only while its call looks for or claims a slot (synchronously). */
const scratch = Buffer.allocUnsafeSlow(MAX_KEY_BYTES);

/**
 * A key as the table stores it: its UTF-8 bytes and its hash. The bytes are read only: for a key kept in
 * {@link recent} they are that entry's own copy, else a view of this thread's scratch buffer that the next
 * encodeKey overwrites.
 */
export interface KeyBytes {
  readonly bytes: Buffer;
  readonly hash: number;
}

/** Most keys {@link recent} keeps; when full, the oldest goes. */
export const RECENT_KEYS = 256;
/** Longest key (in UTF-16 code units) {@link recent} keeps: 256 such keys hold at most 192 KiB of bytes. */
export const RECENT_KEY_LENGTH = 256;
/**
 * The keys this thread encoded lately, with their bytes and hash: hot keys repeat, and encoding and hashing a
 * key cost more than the rest of an uncontended call. A Map finds a key by string equality, so two distinct
 * keys never share an entry, whatever their hashes or bytes.
 */
const recent = new Map<string, KeyBytes>();

/** Starts the encoding of a key with lone surrogates; the byte 0xFF never occurs in UTF-8. */
const RAW_UTF16 = 0xff;

/**
 * Encodes `key` exactly, so that equal bytes mean equal keys, and hashes it: UTF-8 for well-formed strings;
 * 0xFF then the UTF-16 code units for strings with lone surrogates, which UTF-8 would turn into U+FFFD.
 * Throws a RangeError when the encoding is longer than {@link MAX_KEY_BYTES}.
 */
export function encodeKey(key: string): KeyBytes {
  const known = recent.get(key);
  if (known !== undefined) return known;
  const encoded = encodeFresh(key);
  if (key.length > RECENT_KEY_LENGTH) return encoded;
  if (recent.size >= RECENT_KEYS) recent.delete(recent.keys().next().value!);
  const kept = { bytes: Buffer.from(encoded.bytes), hash: encoded.hash };
  recent.set(key, kept);
  return kept;
}

/** {@link encodeKey} without {@link recent}: the bytes are a view of the scratch buffer. */
function encodeFresh(key: string): KeyBytes {
  let fits: boolean;
  let written: number;
  if (key.isWellFormed()) {
    const result = encoder.encodeInto(key, scratch);
    fits = result.read === key.length;
    written = result.written;
  } else {
    fits = 1 + 2 * key.length <= MAX_KEY_BYTES;
    scratch[0] = RAW_UTF16;
    written = fits ? 1 + scratch.write(key, 1, 'utf16le') : 0;
  }
  if (!fits) {
    const message = `key must be at most ${MAX_KEY_BYTES} bytes of UTF-8, got ${encodedLength(key)}`;
    throw withCode(new RangeError(message), 'ERR_SHARED_CALL_KEY_TOO_LONG');
  }
  const bytes = scratch.subarray(0, written);
  return { bytes, hash: fnv1a(bytes) };
}

/** The length in bytes of {@link encodeKey}'s encoding of `key`, for the message of a key too long. */
function encodedLength(key: string): string {
  if (key.isWellFormed()) return `${Buffer.byteLength(key, 'utf8')} bytes`;
  return `${1 + 2 * key.length} bytes (it has lone surrogates, so it is stored as 1 + 2 bytes per UTF-16 code unit)`;
}

/** 32-bit FNV-1a. Equal hashes only make two keys compare their bytes: they never share a flight by it. */
export function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash | 0;
}
