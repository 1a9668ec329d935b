// expect: 100 callers, 1 execution
// 100 concurrent requests for the same user share one slow lookup.
import { AsyncSharedCall } from '@shared-call/core';

const sc = new AsyncSharedCall();
let executions = 0;

const fetchUser = sc.group()(async function fetchUser(id) {
  executions++;
  await new Promise((resolve) => setTimeout(resolve, 50)); // a slow database query
  return { id, name: `user-${id}` };
});

const users = await Promise.all(Array.from({ length: 100 }, () => fetchUser(42)));
console.log(`${users.length} callers, ${executions} execution, same object: ${users.every((u) => u === users[0])}`);
console.log(sc.getStats());
