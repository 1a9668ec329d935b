import type { SharedCall } from '@shared-call/sync-workers';
import {
  CELLS_OFFSET,
  HEADER,
  RECORD,
  RESULT_BUFFERS,
  SLOT,
  TRACKED_THREADS,
  slotCell,
  threadCell,
} from '../src/table/layout';
import { EMPTY, phaseOf } from '../src/table/slot-word';

/** What of a table's shared memory is free, read straight from it: every slot EMPTY, every result buffer and thread record free. */
export function tableIsEmpty(sc: SharedCall): { slots: boolean; buffers: boolean; records: boolean } {
  const cells = new Int32Array(sc.handle.control, CELLS_OFFSET);
  const slots = cells[HEADER.SLOTS]!;
  const every = (count: number, free: (i: number) => boolean) => Array.from({ length: count }, (_, i) => i).every(free);
  return {
    slots: every(slots, (slot) => phaseOf(Atomics.load(cells, slotCell(slot) + SLOT.WORD)) === EMPTY),
    buffers: every(RESULT_BUFFERS, (buffer) => Atomics.load(cells, HEADER.BUFFER_OWNER + buffer) === 0),
    records: every(TRACKED_THREADS, (record) => Atomics.load(cells, threadCell(slots, record) + RECORD.THREAD) === 0),
  };
}

/** True when {@link tableIsEmpty} finds everything free. */
export function isEmpty(sc: SharedCall): boolean {
  const state = tableIsEmpty(sc);
  return state.slots && state.buffers && state.records;
}
