import { AsyncSharedCall } from '@shared-call/core';
test('smoke', async () => { expect(await new AsyncSharedCall().call('k', () => 1)).toBe(1); });
