// Entry of the browser and neutral bundles that key by Dates: one import enables content hashing.
import '@shared-call/core/object-hash';
import { scenario } from './scenario.mjs';

globalThis.report = scenario(true);
