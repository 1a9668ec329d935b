/**
 * The function part of an automatic key that is the same in every process and thread running the same code:
 * the function's name plus a 53-bit hash of its source text. Unlike the default per-thread id, it lets
 * `group()` wrappers in different processes meet on one key. Two functions with the same name and source (for
 * instance closures made by one factory) share the label: pass `group({ name })` to tell them apart.
 */
export function stableLabel(fn: (...args: never[]) => unknown, name: string): string {
  return (name || 'anonymous') + '#' + hash53(Function.prototype.toString.call(fn)).toString(36);
}

/** cyrb53: a fast, well-mixed 53-bit string hash (not cryptographic). */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
