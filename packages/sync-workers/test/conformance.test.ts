import { SharedCall } from '@shared-call/sync-workers';
import { describeCoalescer } from '@shared-call/test-utils';

describeCoalescer({ name: 'SharedCall', mode: 'sync', make: () => new SharedCall({ slots: 16 }), reentrant: 'throws' });
