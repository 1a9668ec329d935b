import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { cellBuffer, RECIPE_CELLS } from '../../../test/support/cells.cjs';
import { asyncFn, replyOf, type Recipe, type Reply } from '../../../test/support/recipe.cjs';
import { until, within } from './waits.js';

export type { Recipe, Reply };

/** A caller's per-call options, as far as the suite sets them (`signal` only where the coalescer takes one). */
export interface CallerOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Gates for one test, in shared memory: a recipe's fn waits for its gate, in whichever thread it runs, until the
 * test opens it; `entered` counts fn entries in every thread.
 */
export class Gates {
  readonly cells = new Int32Array(cellBuffer(RECIPE_CELLS.COUNT));
  #made = 0;

  /** A new gate, closed. */
  next(): number {
    if (this.#made === RECIPE_CELLS.GATES) throw new RangeError(`a test has at most ${RECIPE_CELLS.GATES} gates`);
    return ++this.#made;
  }

  open(gate: number): void {
    Atomics.store(this.cells, RECIPE_CELLS.GATE + gate - 1, 1);
    Atomics.notify(this.cells, RECIPE_CELLS.GATE + gate - 1);
  }

  get entered(): number {
    return Atomics.load(this.cells, RECIPE_CELLS.ENTERED);
  }

  /** Resolves once fns have been entered `count` times in all (fails the test after a bound). */
  entries(count: number): Promise<void> {
    return until(() => this.entered >= count, `${count} fn entries`);
  }
}

/**
 * Concurrent callers of one coalescer: each `call` is made by a caller of its own, so that any number of them
 * (up to {@link MAX_CALLERS}) may wait at once, even on a coalescer whose `call` blocks its thread. Resolves with
 * the caller's reply as plain data, plus, when the caller runs in this thread (`sameThread`), the objects
 * themselves: `value`, and `raw` for the error.
 */
export interface Callers {
  call(key: string, recipe: Recipe, options?: CallerOptions): Promise<Reply>;
}

/** The most callers a case has waiting at once. */
export const MAX_CALLERS = 6;

/** How a subject's callers are made: {@link inThread} for `'async'` coalescers, {@link workerCallers} for blocking ones. */
export interface CallerDriver<C> {
  /** Callers of `coalescer` whose fns wait on `gates`. */
  callersOf(coalescer: C, gates: Gates): Callers;
  /** After each test: ends the callers still waiting (a failed test leaves none behind). */
  afterEach?(): Promise<void>;
  /** After the suite: ends every caller. */
  close?(): Promise<void>;
}

/** The view of an `'async'` coalescer that callers in this thread drive. */
interface AsyncCallable {
  callWithInfo(key: string, fn: () => Promise<unknown>, options?: CallerOptions): Promise<{ value: unknown; shared: boolean }>;
}

/** Callers in this thread: an `'async'` coalescer's calls wait without blocking, so the test's own thread makes them. */
export const inThread: CallerDriver<AsyncCallable> = {
  callersOf: (coalescer, gates) => ({
    call: async (key, recipe, options) => ({
      ...(await replyOf(() => coalescer.callWithInfo(key, asyncFn(gates.cells, recipe), options))),
      sameThread: true,
    }),
  }),
};

/**
 * Callers in worker threads, for a coalescer whose `call` blocks: `fixture` is a worker script that, for each
 * message `{ id, table, handle, cells, key, recipe, options }`, makes the call on the coalescer of `handle`
 * (attached once per `table`) with `blockingFn(cells, recipe)` and posts `{ id, ...reply }` (recipe.cjs).
 * Up to {@link MAX_CALLERS} workers are started as needed and reused across tests; a worker still waiting when
 * a test ends is terminated.
 */
export function workerCallers<C extends object>(fixture: string, handleOf: (coalescer: C) => unknown): CallerDriver<C> {
  const idle: Worker[] = [];
  /** Workers making a call, each with the way to end its call's wait (with a reply, so no rejection goes unheard). */
  const busy = new Map<Worker, (reply: Reply) => void>();
  const tables = new WeakMap<C, number>();
  let nextId = 0;
  const ended = (why: string): Reply => ({ ok: false, error: { message: why } });

  const take = async (): Promise<Worker> => {
    const worker = idle.pop();
    if (worker !== undefined) return worker;
    if (busy.size >= MAX_CALLERS) throw new Error(`more than ${MAX_CALLERS} callers waiting at once`);
    const started = new Worker(fixture);
    busy.set(started, () => {}); // counted from the start, so concurrent takes never start more than MAX_CALLERS
    await within(once(started, 'online'), 20_000, 'caller thread start');
    return started;
  };

  const call = async (coalescer: C, gates: Gates, key: string, recipe: Recipe, options?: CallerOptions): Promise<Reply> => {
    if (options?.signal !== undefined) throw new TypeError('a blocking coalescer takes no signal');
    const worker = await take();
    const id = nextId++;
    if (!tables.has(coalescer)) tables.set(coalescer, nextId++);
    const replied = new Promise<Reply>((resolve) => {
      const settle = (reply: Reply) => {
        worker.off('message', onMessage).off('exit', onExit);
        resolve(reply);
      };
      const onMessage = ({ id: replyTo, ...reply }: Reply & { id: number }) => replyTo === id && settle(reply);
      const onExit = (code: number) => settle(ended(`caller thread exited (code ${code})`));
      worker.on('message', onMessage).once('exit', onExit);
      busy.set(worker, settle);
    });
    worker.postMessage({ id, table: tables.get(coalescer), handle: handleOf(coalescer), cells: gates.cells.buffer, key, recipe, options });
    const reply = await within(replied, 20_000, `call of ${JSON.stringify(key)}`);
    if (busy.delete(worker)) idle.push(worker);
    return reply;
  };

  return {
    callersOf: (coalescer, gates) => ({ call: (key, recipe, options) => call(coalescer, gates, key, recipe, options) }),
    async afterEach() {
      const stuck = [...busy];
      busy.clear();
      for (const [, end] of stuck) end(ended('still waiting when the test ended: its thread was terminated'));
      await Promise.all(stuck.map(([worker]) => worker.terminate()));
    },
    async close() {
      await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
    },
  };
}
