// Core's entry under the "node" export condition (Node, Deno, Bun and bundles for them): the public API with
// content hashing installed, so automatic keys of Dates, Maps and class instances work with no setup.
import './node-content-hash.js';

export * from './index.js';
