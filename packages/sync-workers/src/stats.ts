import type { SharedCallStats } from '@shared-call/core';

/** Core's stats plus `overflows`: calls that ran `fn` uncoalesced because the table had no room for their key. */
export interface SyncWorkersStats extends SharedCallStats {
  /** Calls that ran `fn` on their own because the table was full (also counted in `misses`). */
  readonly overflows: number;
}
