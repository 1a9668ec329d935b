// The check every bundle runs: group() coalesces by an automatic key that needs content hashing (a Date) when
// `hashed`, by a plain-data key otherwise. Resolves with what happened, for the test to compare.
import { AsyncSharedCall } from '@shared-call/core';

export async function scenario(hashed) {
  const sc = new AsyncSharedCall();
  let runs = 0;
  const load = sc.group()(async (arg) => {
    runs++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return JSON.stringify(arg);
  });
  const arg = hashed ? new Date(5) : { id: 5 };
  const [a, b] = await Promise.all([load(arg), load(hashed ? new Date(5) : { id: 5 })]);
  const other = await load(hashed ? new Date(6) : { id: 6 });
  return { same: a === b, runs, other };
}
