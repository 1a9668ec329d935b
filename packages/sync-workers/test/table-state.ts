import type { SharedCall } from '@shared-call/sync-workers';
import { CELLS_OFFSET, F_WORD, H_BUFFER_OWNER, H_SLOTS, RESULT_BUFFERS, TRACKED_THREADS, T_THREAD, slotCell, threadCell } from '../src/layout';
import { EMPTY, phaseOf } from '../src/slot-word';

/** What of a table's shared memory is free, read straight from it: every slot EMPTY, every result buffer and thread record free. */
export function tableIsEmpty(sc: SharedCall): { slots: boolean; buffers: boolean; records: boolean } {
  const cells = new Int32Array(sc.handle.control, CELLS_OFFSET);
  const slots = cells[H_SLOTS]!;
  const every = (count: number, free: (i: number) => boolean) => Array.from({ length: count }, (_, i) => i).every(free);
  return {
    slots: every(slots, (slot) => phaseOf(Atomics.load(cells, slotCell(slot) + F_WORD)) === EMPTY),
    buffers: every(RESULT_BUFFERS, (buffer) => Atomics.load(cells, H_BUFFER_OWNER + buffer) === 0),
    records: every(TRACKED_THREADS, (record) => Atomics.load(cells, threadCell(slots, record) + T_THREAD) === 0),
  };
}

/** True when {@link tableIsEmpty} finds everything free. */
export function isEmpty(sc: SharedCall): boolean {
  const state = tableIsEmpty(sc);
  return state.slots && state.buffers && state.records;
}
