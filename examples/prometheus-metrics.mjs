// expect: fetchUser: 3 executions for 150 calls, 147 saved[\s\S]*shared_call_joins_total\{function="fetchUser",scope="process"\} 147
// Prometheus metrics for coalescing, per function, straight from the diagnostics channels: a /metrics endpoint
// (prom-client 15, on 127.0.0.1) that shows how many executions coalescing saved. Counters only go up: unlike
// getStats(), they are not reset by resetStats(), so rate() and increase() work on them.
import { createServer } from 'node:http';
import * as dc from 'node:diagnostics_channel';
import { AsyncSharedCall, CHANNELS } from '@shared-call/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const registry = new Registry();
const labelNames = ['function', 'scope'];
const executions = new Counter({ name: 'shared_call_executions_total', help: 'Executions of coalesced functions', labelNames, registers: [registry] });
const joins = new Counter({ name: 'shared_call_joins_total', help: 'Calls served by another call\'s execution (executions saved)', labelNames, registers: [registry] });
const errors = new Counter({ name: 'shared_call_errors_total', help: 'Executions that failed', labelNames, registers: [registry] });
const inFlight = new Gauge({ name: 'shared_call_flights_active', help: 'Executions in progress', labelNames, registers: [registry] });
const duration = new Histogram({ name: 'shared_call_flight_duration_seconds', help: 'Execution time', labelNames, registers: [registry] });

// Keys may hold user data: label by the name in the function part of a group() key only
// ("9|fetchUser#3(n1)" → "fetchUser"; keys of plain `call`s are all labelled "call").
const labels = ({ key, scope }) => ({ function: /^\d+\|([^#(:@]*)/.exec(key)?.[1] ?? 'call', scope });

const started = new WeakMap();
dc.tracingChannel(CHANNELS.flight).subscribe({
  start(flight) {
    executions.inc(labels(flight));
    inFlight.inc(labels(flight));
    started.set(flight, duration.startTimer(labels(flight)));
  },
  error(flight) {
    errors.inc(labels(flight));
  },
  asyncEnd(flight) {
    inFlight.dec(labels(flight));
    started.get(flight)?.();
  },
  end() {},
  asyncStart() {},
});
dc.subscribe(CHANNELS.join, (join) => joins.inc(labels(join)));

const server = createServer(async (request, response) => {
  if (request.url !== '/metrics') return response.writeHead(404).end();
  response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

// Traffic: three bursts of 50 concurrent requests for the same user, and one request for orders.
const sc = new AsyncSharedCall();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fetchUser = sc.group({ name: 'fetchUser' })(async (id) => (await sleep(20), { id }));
const fetchOrders = sc.group({ name: 'fetchOrders' })(async (id) => (await sleep(20), [id]));
for (let burst = 0; burst < 3; burst++) await Promise.all(Array.from({ length: 50 }, () => fetchUser(7)));
await fetchOrders(7);
sc.resetStats(); // getStats() starts over; the Prometheus counters do not

const text = await (await fetch(`http://127.0.0.1:${server.address().port}/metrics`)).text();
server.close();
const value = (name, fn) => Number(new RegExp(`^${name}\\{function="${fn}",scope="process"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
for (const fn of ['fetchUser', 'fetchOrders']) {
  const ran = value('shared_call_executions_total', fn);
  const saved = value('shared_call_joins_total', fn);
  console.log(`${fn}: ${ran} executions for ${ran + saved} calls, ${saved} saved`);
}
console.log(text.split('\n').filter((line) => line.startsWith('shared_call_joins_total')).join('\n'));
