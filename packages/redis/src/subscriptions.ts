import type { RedisConnection, RedisSubscriber } from './connection.js';
import { withTimeout } from './deadline.js';

type Listener = (message: string) => void;

interface Channel {
  readonly listeners: Set<Listener>;
  readonly ready: Promise<void>;
}

/**
 * One subscriber connection shared by every flight of a {@link RedisSharedCall}, with reference-counted
 * channels: a channel is subscribed while at least one listener needs it.
 */
export class Subscriptions {
  readonly #channels = new Map<string, Channel>();
  #subscriber: Promise<RedisSubscriber> | undefined;

  constructor(
    private readonly connection: RedisConnection,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Adds `listener` to `channel` and resolves once Redis confirmed the subscription, with the function that
   * removes it (calling it again does nothing). Rejects (the listener removed) if Redis fails or does not
   * answer within `timeoutMs`.
   */
  async listen(channel: string, listener: Listener): Promise<() => void> {
    const subscriber = await withTimeout(this.#open(), this.timeoutMs, 'the subscriber connection');
    let entry = this.#channels.get(channel);
    if (entry === undefined) {
      const ready = subscriber.subscribe(channel);
      ready.catch(() => {}); // awaited below; a late failure must not be unhandled
      entry = { listeners: new Set(), ready };
      this.#channels.set(channel, entry);
    }
    const joined = entry;
    const handler: Listener = (message) => listener(message); // unique, so one listener may listen twice
    joined.listeners.add(handler);
    const release = () => {
      if (!joined.listeners.delete(handler) || joined.listeners.size > 0) return;
      if (this.#channels.get(channel) === joined) this.#channels.delete(channel);
      subscriber.unsubscribe(channel).catch(() => {});
    };
    try {
      await withTimeout(joined.ready, this.timeoutMs, 'SUBSCRIBE');
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  /** Drops the subscriber connection and every subscription. */
  async close(): Promise<void> {
    this.#channels.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) (await subscriber.catch(() => undefined))?.close();
  }

  #open(): Promise<RedisSubscriber> {
    if (this.#subscriber === undefined) {
      const opening = this.connection.subscriber((channel, message) => {
        for (const listener of this.#channels.get(channel)?.listeners ?? []) listener(message);
      });
      opening.catch(() => {
        if (this.#subscriber === opening) this.#subscriber = undefined; // the next flight tries again
      });
      this.#subscriber = opening;
    }
    return this.#subscriber;
  }
}
