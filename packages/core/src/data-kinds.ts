/**
 * The built-in objects other than plain objects and arrays that automatic keys compare by content. Each kind is
 * read through the intrinsic accessors of its prototype (which check the object's internal slots, in any realm),
 * never through properties the object could override; an object that lacks the slots is no data (`undefined`).
 */
export interface DataKind {
  /**
   * The tagged, self-delimiting text of `value`'s content, with `spell` for the values it holds; `undefined` if
   * `value` is not really of this kind (say, `Object.create(Date.prototype)`).
   */
  readonly spell: (value: object, spell: (nested: unknown) => string) => string | undefined;
  /**
   * Whether the object's own enumerable properties are part of its data too. Not for typed arrays and Buffers:
   * their element indexes are own properties, so listing the others would cost a string per element.
   */
  readonly extras: boolean;
}

/** The data kinds by the name of their constructor (see `intrinsicNameOf`). */
export const DATA_KINDS = new Map<string, DataKind>([
  ['Date', { extras: true, spell: (date) => branded(dateTime, date, (time) => 'D' + time) }],
  ['RegExp', { extras: true, spell: regExpText }],
  ['Map', { extras: true, spell: (map, spell) => collectionText('M', mapSize, mapForEach, map, spell) }],
  ['Set', { extras: true, spell: (set, spell) => collectionText('S', setSize, setForEach, set, spell) }],
  ['ArrayBuffer', { extras: true, spell: arrayBufferText }],
  ['DataView', { extras: true, spell: (view) => branded(viewBytes, view, (bytes) => 'V' + bytesText(bytes)) }],
  ['Buffer', { extras: false, spell: (buffer) => typedArrayText('B', 'Uint8Array', buffer) }],
]);
for (const name of [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
]) {
  DATA_KINDS.set(name, { extras: false, spell: (array) => typedArrayText('T' + name + ':', name, array) });
}

/** `read` called on `value`, passed to `text`; `undefined` if `read` rejects `value` for lacking internal slots. */
function branded<T>(read: (this: object) => T, value: object, text: (content: T) => string): string | undefined {
  let content: T;
  try {
    content = read.call(value);
  } catch {
    return undefined;
  }
  return text(content);
}

const dateTime = Date.prototype.getTime as (this: object) => number;

const getter = (proto: object, name: PropertyKey) =>
  Object.getOwnPropertyDescriptor(proto, name)?.get as ((this: object) => unknown) | undefined;

const regExpSource = getter(RegExp.prototype, 'source')!;
/** Each flag's letter and intrinsic getter (reads the internal flags, not properties the object may shadow). */
const regExpFlags = Object.entries({
  d: 'hasIndices', g: 'global', i: 'ignoreCase', m: 'multiline', s: 'dotAll', u: 'unicode', v: 'unicodeSets',
  y: 'sticky',
}).flatMap(([letter, name]) => {
  const read = getter(RegExp.prototype, name);
  return read === undefined ? [] : [[letter, read] as const];
});

/** Source, flags and `lastIndex` (which decides where `exec` starts for global and sticky expressions). */
function regExpText(regExp: object, spell: (nested: unknown) => string): string | undefined {
  return branded(regExpSource, regExp, (source) => {
    let flags = '';
    for (const [letter, read] of regExpFlags) if (read.call(regExp)) flags += letter;
    return 'R(' + spell(source) + ',' + flags + ',' + spell((regExp as RegExp).lastIndex) + ')';
  });
}

const mapSize = getter(Map.prototype, 'size')!;
const mapForEach = Map.prototype.forEach as (this: object, visit: (value: unknown, key: unknown) => void) => void;
const setSize = getter(Set.prototype, 'size')!;
const setForEach = Set.prototype.forEach as (this: object, visit: (value: unknown, key: unknown) => void) => void;

/**
 * A Map's entries (`key=value`) or a Set's members, in sorted order: insertion order is not part of the data.
 * (For a Set, `forEach` passes each member as both value and key; only one is spelled.)
 */
function collectionText(
  tag: string,
  size: (this: object) => unknown,
  forEach: typeof mapForEach,
  collection: object,
  spell: (nested: unknown) => string,
): string | undefined {
  return branded(size, collection, () => {
    const items: string[] = [];
    forEach.call(collection, (value, key) => items.push(tag === 'M' ? spell(key) + '=' + spell(value) : spell(key)));
    return tag + '(' + items.sort().join(',') + ')';
  });
}

const arrayBufferLength = getter(ArrayBuffer.prototype, 'byteLength')!;
const arrayBufferResizable = getter(ArrayBuffer.prototype, 'resizable');
const arrayBufferMaxLength = getter(ArrayBuffer.prototype, 'maxByteLength');

/** The bytes, and for a resizable buffer its maximum length. (A SharedArrayBuffer is no ArrayBuffer: identity.) */
function arrayBufferText(buffer: object): string | undefined {
  return branded(arrayBufferLength, buffer, (length) => {
    const resizable = arrayBufferResizable?.call(buffer) === true;
    const bytes = new Uint8Array(buffer as ArrayBuffer, 0, length as number);
    return 'A' + (resizable ? arrayBufferMaxLength!.call(buffer) + '~' : '') + bytesText(bytes);
  });
}

const viewBuffer = getter(DataView.prototype, 'buffer')!;
const viewOffset = getter(DataView.prototype, 'byteOffset')!;
const viewLength = getter(DataView.prototype, 'byteLength')!;
function viewBytes(this: object): Uint8Array {
  return new Uint8Array(viewBuffer.call(this) as ArrayBuffer, viewOffset.call(this) as number, viewLength.call(this) as number);
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayName = getter(TypedArrayPrototype, Symbol.toStringTag)!;
const typedArrayBuffer = getter(TypedArrayPrototype, 'buffer')!;
const typedArrayOffset = getter(TypedArrayPrototype, 'byteOffset')!;
const typedArrayLength = getter(TypedArrayPrototype, 'byteLength')!;

/** The bytes a typed array views (not the rest of its buffer), if it really is a `name`. */
function typedArrayText(tag: string, name: string, array: object): string | undefined {
  if (typedArrayName.call(array) !== name) return undefined;
  const buffer = typedArrayBuffer.call(array) as ArrayBuffer;
  return tag + bytesText(new Uint8Array(buffer, typedArrayOffset.call(array) as number, typedArrayLength.call(array) as number));
}

/** `<length>:` and one character (U+0000–U+00FF) per byte. */
function bytesText(bytes: Uint8Array): string {
  let text = bytes.length + ':';
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return text;
}
