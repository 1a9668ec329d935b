/**
 * Which built-in prototype `proto` is, in this realm or any other (a vm context, a test sandbox, an iframe):
 * `'Object'` for an `Object.prototype`, `'Date'` for a `Date.prototype`, `'Buffer'` for Node's
 * `Buffer.prototype`, and so on; `undefined` for anything else (a class's prototype, a null-prototype object). A
 * prototype is recognized by its own `constructor`: a native function of that name whose `prototype` is this very
 * object, which no user object can imitate (a built-in constructor's `prototype` cannot be reassigned, and bound
 * functions and proxies do not show a name in their source). Verdicts are cached per prototype.
 */
export function intrinsicNameOf(proto: object): string | undefined {
  let name = names.get(proto);
  if (name === undefined) {
    name = nameFromConstructor(proto);
    names.set(proto, name);
  }
  return name === '' ? undefined : name;
}

/** Verdicts: a constructor name, or `''` for a prototype that is no built-in's. */
const names = new WeakMap<object, string>();
if (typeof Buffer === 'function') names.set(Buffer.prototype, 'Buffer');

const NATIVE_CONSTRUCTOR = /^function (\w+)\(\) \{\s*\[native code\]\s*\}$/;

function nameFromConstructor(proto: object): string {
  const constructor: unknown = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  if (typeof constructor !== 'function' || constructor.prototype !== proto) return '';
  return NATIVE_CONSTRUCTOR.exec(Function.prototype.toString.call(constructor))?.[1] ?? '';
}
