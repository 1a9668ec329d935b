import { afterCallers } from './after-callers.js';
import type { RedisConnection, RedisSubscriber } from './connection.js';
import { withTimeout } from './redis-timeout.js';

/** What a flight hears on its channel: each message, and `reset` when messages may have been missed. */
interface Listener {
  readonly message: (message: string) => void;
  readonly reset: () => void;
}

interface Channel {
  readonly listeners: Set<Listener>;
  readonly ready: Promise<void>;
}

/**
 * One subscriber connection shared by every flight of a {@link RedisSharedCall}, with reference-counted
 * channels: a channel is subscribed while at least one listener needs it. Subscriptions survive reconnections
 * (see {@link RedisConnection.subscriber}); after one, every listener's `reset` is called, because messages
 * published while the connection was down are lost. After {@link close}, no connection is opened again.
 */
export class Subscriptions {
  readonly #channels = new Map<string, Channel>();
  #subscriber: Promise<RedisSubscriber> | undefined;
  #closed = false;

  constructor(
    private readonly connection: RedisConnection,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Adds `listener` to `channel` and resolves once Redis confirmed the subscription, with the function that
   * removes it (calling it again does nothing). `reset` is called whenever the subscription was re-established
   * after a lost connection (messages may have been missed: read the result key). Rejects (the listener
   * removed) if Redis fails or does not answer within `timeoutMs`, or once {@link close} was called.
   */
  async listen(channel: string, message: (message: string) => void, reset: () => void = () => {}): Promise<() => void> {
    const subscriber = await withTimeout(this.#open(), this.timeoutMs, 'the subscriber connection');
    if (this.#closed) throw new Error('the subscriber connection is closed');
    let entry = this.#channels.get(channel);
    if (entry === undefined) {
      const ready = subscriber.subscribe(channel);
      ready.catch(() => {}); // awaited below; a late failure must not be unhandled
      entry = { listeners: new Set(), ready };
      this.#channels.set(channel, entry);
    }
    const joined = entry;
    const listener: Listener = { message, reset }; // unique, so one function may listen twice
    joined.listeners.add(listener);
    const release = () => {
      if (!joined.listeners.delete(listener) || joined.listeners.size > 0) return;
      if (this.#channels.get(channel) === joined) this.#channels.delete(channel);
      // Once the waiter's callers have their value (the UNSUBSCRIBE's write would delay them), and not if a
      // flight listens to the channel again meanwhile: its SUBSCRIBE, sent since, must stay in effect.
      afterCallers(() => {
        if (!this.#closed && !this.#channels.has(channel)) subscriber.unsubscribe(channel).catch(() => {});
      });
    };
    try {
      await withTimeout(joined.ready, this.timeoutMs, 'SUBSCRIBE');
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  /**
   * Drops the subscriber connection and every subscription, and stops opening new ones: a flight still
   * running is told to read the result key (`reset`) and cannot subscribe again. A connection still being
   * opened is closed as soon as it opens.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const listeners = [...this.#channels.values()].flatMap((channel) => [...channel.listeners]);
    this.#channels.clear();
    for (const listener of listeners) listener.reset();
    const opening = this.#subscriber;
    if (opening === undefined) return;
    const closing = opening.then((subscriber) => subscriber.close(), () => {});
    await withTimeout(closing, this.timeoutMs, 'closing the subscriber').catch(() => {});
  }

  #open(): Promise<RedisSubscriber> {
    if (this.#closed) return Promise.reject(new Error('the subscriber connection is closed'));
    if (this.#subscriber === undefined) {
      const opening = this.connection.subscriber(
        (channel, message) => {
          for (const listener of this.#channels.get(channel)?.listeners ?? []) listener.message(message);
        },
        () => {
          for (const channel of this.#channels.values()) for (const listener of channel.listeners) listener.reset();
        },
      );
      opening.catch(() => {
        if (this.#subscriber === opening) this.#subscriber = undefined; // the next flight tries again
      });
      this.#subscriber = opening;
    }
    return this.#subscriber;
  }
}
