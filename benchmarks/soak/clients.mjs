// Steady load from `count` concurrent clients, each starting the next operation as soon as its previous one
// settled, and reporting each one's latency in ms and its start (`record(ms, start)`). `operation(n)` is the
// n-th operation of the whole load (one counter for all clients, so that a mix chosen by `n` stays mixed at
// every moment). Shared by the soak loads of core and redis (sync-workers' clients are threads, see
// sync-workers-load.mjs).

/** Starts the clients; `stop()` resolves once every client has finished its current operation. */
export function startClients(count, operation, record) {
  let running = true;
  let next = 0;
  const client = async () => {
    while (running) {
      const start = performance.now();
      await operation(next++).catch(() => {}); // failures are part of the load (aborts, timeouts, errors)
      record(performance.now() - start, start);
    }
  };
  const clients = Array.from({ length: count }, client);
  return {
    stop: async () => {
      running = false;
      await Promise.all(clients);
    },
  };
}
