import { createHash } from 'node:crypto';
import type { RedisConnection } from './connection.js';

/** True for Redis's answer to EVALSHA of a script it does not have (restarted, SCRIPT FLUSH, failed over). */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** One script call handed to {@link ScriptCache.send}. */
interface Command {
  readonly sha1: string;
  readonly keys: readonly string[];
  readonly args: readonly string[];
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** Whether it was already re-sent once after NOSCRIPT. */
  resent: boolean;
}

/**
 * Sends the protocol's scripts by their SHA1 (EVALSHA) instead of their text (EVAL, ~1.8 KB each time) on a
 * connection that can load them ({@link RedisConnection.loadScripts}); any other connection, and any script
 * not given here, goes by EVAL. Every ordering rule of the protocol (scripts.ts, leader.ts) is between commands
 * of one flight's keys (`keys[0]`, the lease, is the same for all of them), and commands of one connection run
 * in the order they were sent; this class keeps that: **a command runs in the order it was handed to
 * {@link send} among the commands of its key, or not at all.**
 *
 * - The scripts are loaded (SCRIPT LOAD, on every master of a Cluster) before the first command and again after
 *   a NOSCRIPT reply. Commands handed over meanwhile wait, and are sent in order once the load has answered,
 *   however late (each caller's `timeoutMs` still bounds its own wait, as with any slow Redis); if the load
 *   fails, they fail with its error, unsent.
 * - NOSCRIPT (Redis restarted without its script cache, SCRIPT FLUSH, a failover to a replica that never loaded
 *   them) means the script did not run. The command is sent again, once, after the reload, if no later command
 *   of its key was handed over meanwhile: it then still runs in its place among them. Otherwise it fails like
 *   any Redis error, and its flight takes the path it takes when Redis is unavailable (it runs `fn` locally; a
 *   lost SETTLE leaves the lease to expire, as when Redis fails): the later command may already have run
 *   (another client's EVAL or SCRIPT LOAD can put the scripts back between two of ours), so re-sending could
 *   run it after a command that must follow it (a fallback's SETTLE after its ACQUIRE, this process's next
 *   ACQUIRE of the key after a SETTLE). Redis is not marked unavailable for a NOSCRIPT.
 */
export class ScriptCache {
  /** SHA1 of each script sent by EVALSHA. */
  readonly #sha1 = new Map<string, string>();
  /** The last command handed over for each key (`keys[0]`) and not yet answered. */
  readonly #last = new Map<string, Command>();
  /** Commands waiting for the load in progress, in the order they were handed over (or re-sent). */
  #queue: Command[] = [];
  #state: 'unloaded' | 'loading' | 'loaded' = 'unloaded';

  constructor(
    private readonly connection: RedisConnection,
    scripts: readonly string[],
  ) {
    if (connection.evalsha === undefined || connection.loadScripts === undefined) return;
    for (const script of scripts) this.#sha1.set(script, createHash('sha1').update(script).digest('hex'));
  }

  /** Runs `script` (by EVALSHA if it can) after the commands handed over before; resolves with its reply. */
  send(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const sha1 = this.#sha1.get(script);
    if (sha1 === undefined) return Promise.resolve().then(() => this.connection.eval(script, keys, args));
    return new Promise((resolve, reject) => {
      const command: Command = { sha1, keys, args, resolve, reject, resent: false };
      this.#last.set(keys[0]!, command);
      this.#dispatch(command);
    });
  }

  /** Sends `command` now if the scripts are loaded, else after the load. */
  #dispatch(command: Command): void {
    if (this.#state === 'loaded') return this.#send(command);
    this.#queue.push(command);
    if (this.#state === 'unloaded') this.#load();
  }

  /** Hands `command` to the connection (one microtask later, as every command). */
  #send(command: Command): void {
    const { sha1, keys, args } = command;
    Promise.resolve()
      .then(() => this.connection.evalsha!(sha1, keys, args))
      .then(
        (reply) => {
          this.#forget(command);
          command.resolve(reply);
        },
        (error: unknown) => this.#failed(command, error),
      );
  }

  /** Re-sends `command` after NOSCRIPT if it is still the last of its key and was not re-sent yet; else rejects. */
  #failed(command: Command, error: unknown): void {
    if (isNoScript(error)) {
      if (this.#state === 'loaded') this.#state = 'unloaded';
      if (!command.resent && this.#last.get(command.keys[0]!) === command) {
        command.resent = true;
        return this.#dispatch(command); // nothing of its key was handed over after it: still in its place
      }
    }
    this.#forget(command);
    command.reject(error);
  }

  #forget(command: Command): void {
    if (this.#last.get(command.keys[0]!) === command) this.#last.delete(command.keys[0]!);
  }

  #load(): void {
    this.#state = 'loading';
    const flush = (loaded: boolean, error?: unknown) => {
      this.#state = loaded ? 'loaded' : 'unloaded';
      const queued = this.#queue;
      this.#queue = [];
      for (const command of queued) {
        if (loaded) this.#send(command); // in the order they were handed over
        else this.#failed(command, error);
      }
    };
    Promise.resolve()
      .then(() => this.connection.loadScripts!([...this.#sha1.keys()]))
      .then(() => flush(true), (error: unknown) => flush(false, error));
  }
}
