import { join } from 'node:path';
import { SharedCall } from '@shared-call/sync-workers';
import { describeCoalescer, workerCallers } from '@shared-call/test-utils';

describeCoalescer({
  name: 'SharedCall',
  mode: 'sync',
  make: () => new SharedCall({ slots: 16 }),
  reentrant: 'throws',
  callers: workerCallers(join(__dirname, 'fixtures', 'conformance-caller.cjs'), (sc) => (sc as SharedCall).handle),
});
