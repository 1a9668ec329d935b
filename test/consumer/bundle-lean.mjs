// Entry of the browser bundle of an app that does not import @shared-call/core/object-hash: object-hash is not in
// it, and keys of long arguments are kept spelled out in full instead of digested (exact, only longer).
import { AsyncSharedCall } from '@shared-call/core';
import { scenario } from './scenario.mjs';

async function longArguments() {
  const sc = new AsyncSharedCall();
  let runs = 0;
  const load = sc.group()(async (rows) => {
    runs++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return rows.length;
  });
  const rows = (n) => Array.from({ length: 100 }, (_, i) => ({ i, at: new Date(i), n }));
  const [a, b] = await Promise.all([load(rows(1)), load(rows(1))]);
  await load(rows(2));
  return { same: a === b, runs, other: runs === 2 };
}

globalThis.report = scenario(false).then(async (plain) => ({ plain, long: await longArguments() }));
