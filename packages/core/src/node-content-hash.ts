// Installs content hashing for Node (and Deno, Bun, bundles for them): object-hash serializes (its self-contained
// build, so an ESM bundle has no `require('crypto')`) and Node's native sha1 digests: the same digests as
// object-hash's own Node build, three times faster. Imported by every entry that Node resolves: node.ts (the
// "node" condition of `@shared-call/core`) and internal.ts (the sibling packages, which are Node-only).
import { createHash } from 'node:crypto';
import objectHash from 'object-hash/dist/object_hash.js';
import { installContentHash } from './content-hash.js';

installContentHash((value) =>
  createHash('sha1').update(objectHash(value, { algorithm: 'passthrough' })).digest('hex'),
);
