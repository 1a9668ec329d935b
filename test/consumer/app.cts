// The same packages from a CommonJS TypeScript module under nodenext (emitted and run).
import { AsyncSharedCall } from '@shared-call/core';
import { shared } from '@shared-call/sync-workers';
import { createPool } from '@shared-call/sync-workers/piscina';

const sc = new AsyncSharedCall();
sc.call('k', async () => 1).then((value: number) => {
  console.log(JSON.stringify({ value, sync: shared.call('k', () => 42), createPool: typeof createPool }));
});
