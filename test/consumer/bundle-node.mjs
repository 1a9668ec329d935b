// Entry of the esbuild Node ESM bundle: core's "node" entry hashes Dates with no setup.
import { scenario } from './scenario.mjs';

console.log(JSON.stringify(await scenario(true)));
