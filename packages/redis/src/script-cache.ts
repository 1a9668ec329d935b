import { createHash } from 'node:crypto';
import type { RedisConnection } from './connection.js';

/** True for Redis's answer to EVALSHA of a script it does not have (restarted, SCRIPT FLUSH, failed over). */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Runs `send` now — the command is written to the connection before the caller goes on, with no microtask in
 * between — and returns its reply as a promise; a synchronous throw becomes a rejection.
 */
function call(send: () => unknown): Promise<unknown> {
  try {
    return Promise.resolve(send());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** One script call handed to {@link ScriptCache.send}, until it is answered. */
interface Command {
  readonly script: string;
  readonly keys: readonly string[];
  readonly args: readonly string[];
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Sends the protocol's scripts by their SHA1 (EVALSHA) instead of their text (EVAL, ~1.8 KB each time) on a
 * connection that can load them ({@link RedisConnection.loadScripts}); any other connection, and any script
 * not given here, goes by EVAL. Every ordering rule of the protocol (scripts.ts, leader.ts) is between commands
 * of one flight's keys (`keys[0]`, the lease, is the same for all of them), and commands of one connection run
 * in the order they were sent; this class keeps that: **a command runs in the order it was handed to
 * {@link send} among the commands of its key, or not at all.** Every command is sent when it is handed over;
 * none waits for another.
 *
 * - Until the scripts are known to be loaded, commands go by EVAL (which also caches the script in Redis), and
 *   a SCRIPT LOAD (on every master of a Cluster) is sent alongside; once it has answered, by EVALSHA. So the
 *   first flight pays no extra round trip.
 * - NOSCRIPT (Redis restarted without its script cache, SCRIPT FLUSH, a failover to a replica that never loaded
 *   them) means the script did not run. The scripts are loaded again (commands go by EVAL meanwhile), and the
 *   command is sent again at once by EVAL if no later command of its key was handed over since: it then still
 *   runs in its place among them. Otherwise it fails like any Redis error, and its flight takes the path it
 *   takes when Redis is unavailable (it runs `fn` locally; a lost SETTLE leaves the lease to expire, as when
 *   Redis fails): the later command may already have run (another client's EVAL or SCRIPT LOAD can put the
 *   scripts back between two of ours), so re-sending could run it after a command that must follow it (a
 *   fallback's SETTLE after its ACQUIRE, this process's next ACQUIRE of the key after a SETTLE). Redis is not
 *   marked unavailable for a NOSCRIPT.
 */
export class ScriptCache {
  /** SHA1 of each script sent by EVALSHA. */
  readonly #sha1 = new Map<string, string>();
  /** The last command handed over for each key (`keys[0]`) and not yet answered. */
  readonly #last = new Map<string, Command>();
  #state: 'unloaded' | 'loading' | 'loaded' = 'unloaded';
  /** Counts NOSCRIPT replies: a load sent before the latest one does not count as loaded. */
  #generation = 0;

  constructor(
    private readonly connection: RedisConnection,
    scripts: readonly string[],
  ) {
    if (connection.evalsha === undefined || connection.loadScripts === undefined) return;
    for (const script of scripts) this.#sha1.set(script, createHash('sha1').update(script).digest('hex'));
  }

  /** Runs `script` now, by EVALSHA if it can; resolves with its reply. */
  send(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    const sha1 = this.#sha1.get(script);
    if (sha1 === undefined) return call(() => this.connection.eval(script, keys, args));
    if (this.#state === 'unloaded') this.#load();
    return new Promise((resolve, reject) => {
      const command: Command = { script, keys, args, resolve, reject };
      this.#last.set(keys[0]!, command);
      const sending = this.#state === 'loaded' ? () => this.connection.evalsha!(sha1, keys, args) : undefined;
      this.#send(command, sending);
    });
  }

  /** Hands `command` to the connection at once (as every command): by `evalsha`, else by EVAL. */
  #send(command: Command, evalsha: (() => Promise<unknown>) | undefined): void {
    const { script, keys, args } = command;
    call(evalsha ?? (() => this.connection.eval(script, keys, args))).then(
      (reply) => {
        this.#forget(command);
        command.resolve(reply);
      },
      (error: unknown) => {
        if (evalsha !== undefined && isNoScript(error)) return this.#noScript(command, error);
        this.#forget(command);
        command.reject(error);
      },
    );
  }

  /** Loads the scripts again; sends `command` again by EVAL if it is still the last of its key, else rejects. */
  #noScript(command: Command, error: unknown): void {
    this.#generation++;
    if (this.#state === 'loaded') this.#state = 'unloaded';
    if (this.#last.get(command.keys[0]!) === command) return this.#send(command, undefined); // still in its place
    command.reject(error);
  }

  #forget(command: Command): void {
    if (this.#last.get(command.keys[0]!) === command) this.#last.delete(command.keys[0]!);
  }

  #load(): void {
    this.#state = 'loading';
    const generation = this.#generation;
    call(() => this.connection.loadScripts!([...this.#sha1.keys()])).then(
      () => (this.#state = generation === this.#generation ? 'loaded' : 'unloaded'),
      () => (this.#state = 'unloaded'), // the next command tries again
    );
  }
}
