// Entry of the browser bundle of an app that keys by plain data only: object-hash is not in it, and a key that
// would need it rejects with an error that says what to import.
import { scenario } from './scenario.mjs';

globalThis.report = scenario(false).then(async (plain) => {
  const failure = await scenario(true).catch((error) => ({ name: error.name, code: error.code }));
  return { plain, failure };
});
