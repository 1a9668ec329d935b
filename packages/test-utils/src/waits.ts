/** A promise with its resolve exposed: a test decides when a flight settles. */
export function gate<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => (resolve = res));
  return { promise, resolve };
}

/** Settles like `promise`, or rejects after `ms`: no test waits forever. */
export function within<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** What `run` delivers, as a settled Promise whichever the mode: thrown errors and rejections alike reject. */
export async function settled<T>(run: () => T | Promise<T>): Promise<T> {
  return run();
}
