/**
 * Whether this process holds a flight's lease, and its fencing token. Known at once when ACQUIRE answered
 * "lead" in time. When ACQUIRE did not answer within `timeoutMs`, Redis may still have run it (a reply that
 * lost its race after an event-loop stall, a paused or slow Redis): the late answer decides, and until it
 * arrives the lease may be ours.
 */
export class Claim {
  #ours: boolean | undefined;
  #fence: number | undefined;
  /** Resolves with true once the lease is known to be ours, with false if it is not or if that stays unknown. */
  readonly won: Promise<boolean>;

  /** `answer` is the fencing token of a lease known to be ours, or ACQUIRE's late answer: the token if we lead. */
  constructor(answer: number | Promise<number | undefined>) {
    if (typeof answer === 'number') {
      this.#ours = true;
      this.#fence = answer;
      this.won = Promise.resolve(true);
    } else {
      this.won = answer.then(
        (fence) => {
          this.#fence = fence;
          return (this.#ours = fence !== undefined);
        },
        () => false, // failed: the script may or may not have run, so #ours stays unknown
      );
    }
  }

  /** True once the lease is known to be ours. */
  get ours(): boolean {
    return this.#ours === true;
  }

  /** False only if the lease is known not to be ours; a settle by token is then pointless. */
  get mayBeOurs(): boolean {
    return this.#ours !== false;
  }

  /** The fencing token of the lease, once known to be ours. */
  get fence(): number | undefined {
    return this.#fence;
  }
}
