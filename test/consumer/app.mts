// Type-checked strictly under nodenext (emitted and run) and bundler resolution.
import { AsyncSharedCall, asyncShared, type Coalesced, type SharedCallStats } from '@shared-call/core';
// @ts-expect-error the helpers the packages share are not public API
import type { createGroup } from '@shared-call/core';
import type { RedisSharedCallOptions } from '@shared-call/redis';
import { shared, SharedCall } from '@shared-call/sync-workers';
import { createPool } from '@shared-call/sync-workers/piscina';

const sc = new AsyncSharedCall();
const byDate = sc.group()(async (when: Date) => when.getTime());
const coalesced: Coalesced<(when: Date) => Promise<number>, 'async'> = byDate;
const key: string = coalesced.keyFor(new Date(5));
const value: number = await byDate(new Date(5));
const stats: SharedCallStats = sc.getStats();
const options: Pick<RedisSharedCallOptions, 'namespace'> = { namespace: 'app' };
const sync: number = shared.call('k', () => 42);
const pools: typeof createPool = createPool;
console.log(JSON.stringify({
  value,
  keyed: key.length > 0,
  hits: stats.hits,
  shared: await asyncShared.call('k', async () => 'v'),
  sync,
  isClass: typeof SharedCall === 'function' && typeof pools === 'function',
  namespace: options.namespace,
}));
