// Worker thread side of the sync-workers benchmarks (see ../sync-workers.bench.mjs). One module, three jobs,
// chosen by workerData.job; every job reports back with one message and timestamps on one clock
// (performance.timeOrigin + performance.now() is comparable across the threads of a process).
import { parentPort, workerData } from 'node:worker_threads';
import { SharedCall } from '@shared-call/sync-workers';
import { blockUntilAtLeast, bump, CPU_CELLS, HOP_CELLS } from '../../test/support/cells.cjs';
import { burn } from './work.mjs';

const now = () => performance.timeOrigin + performance.now();
const { job, rounds, warmup = 0 } = workerData;
const cells = new Int32Array(workerData.cells);
const times = new Float64Array(workerData.times ?? new SharedArrayBuffer(8));
const { SIGNAL, READY } = HOP_CELLS;
const { EXECUTIONS, PHASE, PHASE_DONE, ARRIVALS } = CPU_CELLS;

const idle = new Int32Array(new SharedArrayBuffer(4));
/** Sleeps `ms` without spinning (a spinning thread would slow the other one on a small machine). */
const sleep = (ms) => Atomics.wait(idle, 0, 0, ms);
/**
 * Lets the other thread reach its Atomics.wait before this one acts (the measured path starts parked): for
 * 1 ms, asleep (the notifying thread starts cold) or, with workerData.busy, busy as a leader is at the end of a
 * CPU-bound fn (it starts hot). Warm-up rounds (`workerData.warmup` of them, unrecorded, so that the code
 * under test is compiled before it is timed) skip it.
 */
function settle(round) {
  if (round < warmup) return;
  if (!workerData.busy) return sleep(1);
  const end = performance.now() + 1;
  while (performance.now() < end);
}

/** Records the time of one side (0: notify, 1: wake) of hop `round`, unless it is a warm-up round. */
function stamp(round, side) {
  if (round >= warmup) times[2 * (round - warmup) + side] = now();
}

const jobs = {
  /** Raw hop, receiver: parks on SIGNAL, records when it woke. */
  rawReceiver() {
    for (let r = 0; r < warmup + rounds; r++) {
      bump(cells, READY);
      blockUntilAtLeast(cells, SIGNAL, r + 1);
      stamp(r, 1);
    }
  },
  /** Raw hop, sender: once the receiver is parked, records the time and notifies it. */
  rawSender() {
    for (let r = 0; r < warmup + rounds; r++) {
      blockUntilAtLeast(cells, READY, r + 1);
      settle(r);
      stamp(r, 0);
      bump(cells, SIGNAL);
    }
  },
  /**
   * Flight, leader: leads key r, and once the waiter has joined and parked, records the time and returns; then
   * sleeps until the waiter is done with the round (as the raw sender sleeps after its notify).
   */
  flightLeader() {
    const sc = SharedCall.attach(workerData.handle);
    for (let r = 0; r < warmup + rounds; r++) {
      const hits = sc.getStats().hits;
      sc.call(`wake-${r}`, () => {
        bump(cells, SIGNAL);
        while (sc.getStats().hits === hits) sleep(0.05);
        settle(r);
        stamp(r, 0);
        return r;
      });
      blockUntilAtLeast(cells, READY, r + 1);
    }
  },
  /** Flight, waiter: joins key r once the leader runs, records when its call returned the leader's value. */
  flightWaiter() {
    const sc = SharedCall.attach(workerData.handle);
    for (let r = 0; r < warmup + rounds; r++) {
      blockUntilAtLeast(cells, SIGNAL, r + 1);
      if (sc.call(`wake-${r}`, () => -1) !== r) throw new Error('the waiter ran fn itself');
      stamp(r, 1);
      bump(cells, READY);
    }
  },
  /**
   * One of N threads: runs `rounds` rounds uncoalesced (phase 1), then `rounds` through one table (phase 2),
   * each phase started by the main thread so that it can read the process CPU time around it. In each round all
   * threads meet at a barrier, then each needs the CPU-bound result of the round's key.
   */
  cpu() {
    const sc = SharedCall.attach(workerData.handle);
    const { threads, iterations } = workerData;
    const work = () => {
      Atomics.add(cells, EXECUTIONS, 1);
      return burn(iterations);
    };
    for (const phase of [1, 2]) {
      blockUntilAtLeast(cells, PHASE, phase);
      for (let r = 0; r < rounds; r++) {
        const barrier = ARRIVALS + (phase - 1) * rounds + r;
        bump(cells, barrier);
        blockUntilAtLeast(cells, barrier, threads);
        phase === 2 ? sc.call(`cpu-${r}`, work) : work();
      }
      bump(cells, PHASE_DONE);
    }
  },
};

jobs[job]();
parentPort.postMessage('done');
