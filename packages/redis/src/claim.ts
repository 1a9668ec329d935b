/**
 * Whether this process holds a flight's lease. Known at once when ACQUIRE answered "lead" in time. When
 * ACQUIRE did not answer within `timeoutMs`, Redis may still have run it (a reply that lost its race after an
 * event-loop stall, a paused or slow Redis): the late answer decides, and until it arrives the lease may be
 * ours.
 */
export class Claim {
  #ours: boolean | undefined;
  /** Resolves with true once the lease is known to be ours, with false if it is not or if that stays unknown. */
  readonly won: Promise<boolean>;

  /** `answer` is `true` for a lease known to be ours, or ACQUIRE's late answer: whether it made us leader. */
  constructor(answer: true | Promise<boolean>) {
    if (answer === true) {
      this.#ours = true;
      this.won = Promise.resolve(true);
    } else {
      this.won = answer.then(
        (lead) => (this.#ours = lead),
        () => false, // failed: the script may or may not have run, so #ours stays unknown
      );
    }
  }

  /** False only if the lease is known not to be ours; a settle by token is then pointless. */
  get mayBeOurs(): boolean {
    return this.#ours !== false;
  }
}
