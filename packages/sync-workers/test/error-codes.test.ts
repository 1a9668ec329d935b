import { ReentrantCallError, SharedCall } from '@shared-call/sync-workers';
import type { Worker } from 'node:worker_threads';

// Every error sync-workers raises that a caller may catch has a stable `code` or an exported class (see
// docs/api.md's table of codes). Results that cannot be shared need other threads to show, in limits.test.ts:
// ERR_SHARED_CALL_RESULT_TOO_LARGE, and the web-standard DataCloneError DOMException.
const caught = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('error codes of @shared-call/sync-workers', () => {
  const sc = new SharedCall({ slots: 4 });

  test.each([
    ['ERR_INVALID_ARG_TYPE', TypeError, () => caught(() => new SharedCall({ slots: 'many' as never }))],
    ['ERR_INVALID_ARG_TYPE', TypeError, () => caught(() => sc.watch({} as Worker))],
    ['ERR_OUT_OF_RANGE', RangeError, () => caught(() => new SharedCall({ slots: 0 }))],
    ['ERR_INVALID_ARG_VALUE', TypeError, () => caught(() => SharedCall.attach({} as never))],
    ['ERR_SHARED_CALL_KEY_TOO_LONG', RangeError, () => caught(() => sc.call('k'.repeat(100_000), () => 1))],
    ['ERR_SHARED_CALL_REENTRANT', ReentrantCallError, () => sc.call('outer', () => caught(() => sc.call('outer', () => 1)))],
  ])('%s (%p)', (code, type, trigger) => {
    const error = trigger();
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code });
  });
});
