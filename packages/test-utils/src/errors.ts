/**
 * Asserts that `received` is a faithful copy of `thrown`, an error that crossed a thread or process boundary
 * (or went through core's error codec): the same class, message, stack and `code`, and a `cause` of the same
 * class and message.
 */
export function expectFaithfulCopy(received: unknown, thrown: Error & { code?: unknown }): void {
  expect(received).toBeInstanceOf(thrown.constructor);
  const copy = received as Error & { code?: unknown };
  expect([copy.message, copy.stack, copy.code]).toEqual([thrown.message, thrown.stack, thrown.code]);
  const cause = thrown.cause as Error;
  expect(copy.cause).toBeInstanceOf(cause.constructor);
  expect((copy.cause as Error).message).toBe(cause.message);
}
