/** What a leader's `fn` did: the value it returned (awaited, for async flights), or what it threw. */
export type Outcome<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/** Runs `fn`, catching what it throws: the one synchronous try/catch runner of the workspace. */
export function settle<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Runs and awaits `fn`, catching what it throws or rejects with. */
export async function settleAsync<T>(fn: () => T | PromiseLike<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
