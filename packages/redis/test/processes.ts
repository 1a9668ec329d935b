import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** What a caller process is asked to do (see fixtures/caller.cjs). */
export interface CallerTask {
  port: number;
  namespace: string;
  key: string;
  calls: number;
  fnMs: number;
  leaseMs: number;
  timeoutMs: number;
  hang?: boolean;
}

/** A caller's final report. */
export interface CallerReport {
  type: 'done';
  executions: number;
  by: number[];
  stats: { hits: number; misses: number; takeovers: number; fallbacks: number; remoteHits: number };
}

/** A forked caller process (fixtures/caller.cjs, or another fixture given its task) and the messages it sent. */
export class Caller {
  readonly child: ChildProcess;
  readonly #messages: { type: string }[] = [];
  #notify: (() => void) | undefined;

  constructor(task: CallerTask | object, fixture = 'caller.cjs') {
    this.child = fork(join(__dirname, 'fixtures', fixture), [], { execArgv: [], stdio: 'inherit' });
    this.child.on('message', (message: { type: string }) => {
      this.#messages.push(message);
      this.#notify?.();
    });
    this.child.send(task);
    callers.add(this);
  }

  /** Resolves with the first message of `type`; rejects after `ms` so no test can hang. */
  async next<M extends { type: string }>(type: M['type'], ms: number): Promise<M> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.#messages.findIndex((m) => m.type === type);
      if (index >= 0) return this.#messages.splice(index, 1)[0] as M;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`process ${this.child.pid} sent no "${type}" within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#notify = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  go(): void {
    this.child.send('go');
  }
}

const callers = new Set<Caller>();

/** Kills every caller process still running; register with `afterEach(killCallers)`. */
export function killCallers(): void {
  for (const caller of callers) if (caller.child.exitCode === null) caller.child.kill('SIGKILL');
  callers.clear();
}
