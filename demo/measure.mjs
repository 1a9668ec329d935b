// Runs one mode of a scenario: fires `requests` concurrent requests, waits for all of them and reports how many
// real executions happened, the wall time, the CPU time of the whole process (every thread: the pool's workers
// and the in-process servers included) and how many requests failed.

/**
 * @param {object} spec
 * @param {string} spec.scenario  scenario name (table row label)
 * @param {string} spec.mode      e.g. 'no coalescing', 'AsyncSharedCall'
 * @param {number} spec.requests  how many concurrent requests to fire
 * @param {(i: number) => Promise<unknown>} spec.request  one request; a rejection counts as a failure
 * @param {() => number} spec.executions  reads the count of real executions so far
 * @param {(value: unknown) => boolean} [spec.failed]  marks a fulfilled response as failed (e.g. HTTP 429)
 * @param {{ increment(): void }} spec.progress
 */
export async function measureMode({ scenario, mode, requests, request, executions, failed = () => false, progress }) {
  const executionsBefore = executions();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: requests }, (_, i) => request(i).finally(() => progress.increment())),
  );
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const failures = outcomes.filter((o) => o.status === 'rejected' || failed(o.value)).length;
  return { scenario, mode, requests, executions: executions() - executionsBefore, wallMs, cpuMs, failures };
}
