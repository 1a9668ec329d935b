// Worker thread side of the sync-workers benchmarks (see ../sync-workers.bench.mjs). One module, three jobs,
// chosen by workerData.job; every job reports back with one message and timestamps on one clock
// (performance.timeOrigin + performance.now() is comparable across the threads of a process).
import { parentPort, workerData } from 'node:worker_threads';
import { SharedCall } from '@shared-call/sync-workers';
import { burn } from './work.mjs';

const now = () => performance.timeOrigin + performance.now();
const { job, rounds } = workerData;
const cells = new Int32Array(workerData.cells);
const times = new Float64Array(workerData.times ?? new SharedArrayBuffer(8));
const SIGNAL = 0;
const READY = 1;
// Cells of the cpu job.
const EXECUTIONS = 0;
const PHASE = 1;
const PHASE_DONE = 2;
const ARRIVALS = 3;

/** Blocks until cells[index] >= value (a predicate loop: the counter only grows). */
function awaitAtLeast(index, value) {
  for (let seen = Atomics.load(cells, index); seen < value; seen = Atomics.load(cells, index)) Atomics.wait(cells, index, seen, 50);
}

function bump(index) {
  Atomics.add(cells, index, 1);
  Atomics.notify(cells, index);
}

const idle = new Int32Array(new SharedArrayBuffer(4));
/** Sleeps `ms` without spinning (a spinning thread would slow the other one on a small machine). */
const sleep = (ms) => Atomics.wait(idle, 0, 0, ms);
/** Lets the other thread reach its Atomics.wait before this one acts (the measured path starts parked). */
const settle = () => sleep(1);

const jobs = {
  /** Raw hop, receiver: parks on SIGNAL, records when it woke. */
  rawReceiver() {
    for (let r = 0; r < rounds; r++) {
      bump(READY);
      awaitAtLeast(SIGNAL, r + 1);
      times[2 * r + 1] = now();
    }
  },
  /** Raw hop, sender: once the receiver is parked, records the time and notifies it. */
  rawSender() {
    for (let r = 0; r < rounds; r++) {
      awaitAtLeast(READY, r + 1);
      settle();
      times[2 * r] = now();
      bump(SIGNAL);
    }
  },
  /**
   * Flight, leader: leads key r, and once the waiter has joined and parked, records the time and returns; then
   * sleeps until the waiter is done with the round (as the raw sender sleeps after its notify).
   */
  flightLeader() {
    const sc = SharedCall.attach(workerData.handle);
    for (let r = 0; r < rounds; r++) {
      const hits = sc.getStats().hits;
      sc.call(`wake-${r}`, () => {
        bump(SIGNAL);
        while (sc.getStats().hits === hits) sleep(0.05);
        settle();
        times[2 * r] = now();
        return r;
      });
      awaitAtLeast(READY, r + 1);
    }
  },
  /** Flight, waiter: joins key r once the leader runs, records when its call returned the leader's value. */
  flightWaiter() {
    const sc = SharedCall.attach(workerData.handle);
    for (let r = 0; r < rounds; r++) {
      awaitAtLeast(SIGNAL, r + 1);
      if (sc.call(`wake-${r}`, () => -1) !== r) throw new Error('the waiter ran fn itself');
      times[2 * r + 1] = now();
      bump(READY);
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
      awaitAtLeast(PHASE, phase);
      for (let r = 0; r < rounds; r++) {
        const barrier = ARRIVALS + (phase - 1) * rounds + r;
        bump(barrier);
        awaitAtLeast(barrier, threads);
        phase === 2 ? sc.call(`cpu-${r}`, work) : work();
      }
      bump(PHASE_DONE);
    }
  },
};

jobs[job]();
parentPort.postMessage('done');
