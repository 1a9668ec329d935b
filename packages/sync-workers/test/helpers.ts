import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SharedCall, type SharedCallHandle, type SharedCallOptions } from '@shared-call/sync-workers';

/** What a fixture worker replies for one call (see fixtures/caller.cjs). */
export interface Reply {
  ok: boolean;
  value?: any;
  shared?: boolean;
  /** The value could not be posted back to the test (it holds a function, say): `value` is its plain description. */
  unpostable?: boolean;
  error?: any;
  ms: number;
}

/** The call a fixture worker makes. */
export interface CallRequest {
  key: string;
  behaviour: string;
  arg?: unknown;
  method?: 'callWithInfo' | 'callAsync' | 'loop' | 'square';
  options?: { timeoutMs?: number };
}

/** Pairs of different keys with equal 32-bit FNV-1a hashes (found by brute force; asserted below). */
export const COLLIDING_KEYS: readonly (readonly [string, string])[] = [
  ['key-901258', 'key-1540052'],
  ['key-901259', 'key-1540053'],
];

const CALLER = join(__dirname, 'fixtures', 'caller.cjs');

import { bump, CALLER_CELLS, cellBuffer } from '../../../test/support/cells.cjs';
import { within } from '../../../test/support/helpers.cjs';

export { within };

/** Polls `predicate` until it holds (or fails the test after `ms`). */
export async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`${what}: not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Real worker threads running fixtures/caller.cjs over one table. `executions` counts runs of fn in all of
 * them, `entered` counts fn entries (for waiting until a leader runs); gates hold a leader's fn until the test
 * has seen its waiters join, so that no test depends on how fast threads run.
 */
export class Callers {
  readonly workers: Worker[] = [];
  readonly #counters = new Int32Array(cellBuffer(CALLER_CELLS.COUNT));
  #nextId = 0;
  #gates = 0;

  get executions(): number {
    return Atomics.load(this.#counters, CALLER_CELLS.EXECUTIONS);
  }

  get entered(): number {
    return Atomics.load(this.#counters, CALLER_CELLS.ENTERED);
  }

  /** A new gate: fns called with `arg.gate` set to it wait until {@link openGate} opens it. */
  nextGate(): number {
    return ++this.#gates;
  }

  /** Opens the oldest gate not yet open. */
  openGate(): void {
    bump(this.#counters, CALLER_CELLS.GATES_OPENED);
  }

  /** Starts `count` workers attached to `handle` (or using the process-wide `shared` when undefined). */
  async start(count: number, handle: SharedCallHandle | undefined): Promise<this> {
    const started = Array.from({ length: count }, () => {
      const worker = new Worker(CALLER, {
        workerData: { handle, useShared: handle === undefined, counters: this.#counters.buffer },
      });
      worker.on('error', () => {}); // crashes under test are expected; their effects are asserted
      this.workers.push(worker);
      return within(once(worker, 'message'), 20_000, 'worker start');
    });
    await Promise.all(started);
    return this;
  }

  /** Makes worker `index` call; resolves with its reply (fails the test after `ms`). */
  call(index: number, request: CallRequest, ms = 20_000): Promise<Reply> {
    const worker = this.workers[index]!;
    const id = this.#nextId++;
    const reply = new Promise<Reply>((resolve, reject) => {
      const onMessage = (message: Reply & { id: number }) => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code: number) => reject(new Error(`worker exited with code ${code}`));
      worker.on('message', onMessage);
      worker.once('exit', onExit);
    });
    worker.postMessage({ id, method: 'callWithInfo', ...request });
    return within(reply, ms, `call ${JSON.stringify(request.key)} on worker ${index}`);
  }

  /** Resolves once fn has been entered `count` times in total. */
  entries(count: number, ms = 10_000): Promise<void> {
    return until(() => this.entered >= count, ms, `${count} fn entries`);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Runs `body` with `count` fixture workers over a new table made with `options`; closes them however it ends. */
export async function withCallers(
  count: number,
  options: SharedCallOptions | undefined,
  body: (callers: Callers, sc: SharedCall) => Promise<void>,
): Promise<void> {
  const sc = new SharedCall(options);
  const callers = await new Callers().start(count, sc.handle);
  try {
    await body(callers, sc);
  } finally {
    await callers.close();
  }
}

/**
 * Worker `leader` leads `request.key`; once its fn runs, the workers in `waiters` call the same key, and the
 * leader's fn is held at a gate until the table counts all of them joined. Resolves with every reply, the
 * leader's first.
 */
export async function coalesce(
  callers: Callers,
  sc: SharedCall,
  request: CallRequest,
  waiters: readonly number[],
  leader = 0,
): Promise<Reply[]> {
  const gate = callers.nextGate();
  const gated = { ...request, arg: { ...(request.arg as object), gate } };
  const entered = callers.entered;
  const hits = sc.getStats().hits;
  const first = callers.call(leader, gated);
  await callers.entries(entered + 1);
  const others = waiters.map((index) => callers.call(index, gated));
  await until(() => sc.getStats().hits >= hits + waiters.length, 10_000, 'waiters joined');
  callers.openGate();
  return Promise.all([first, ...others]);
}
