import { AsyncSharedCall } from '@shared-call/core';
import { describeCoalescer } from '@shared-call/test-utils';

describeCoalescer({ name: 'AsyncSharedCall', mode: 'async', make: () => new AsyncSharedCall(), reentrant: 'joins' });
