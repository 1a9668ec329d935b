// `import '@shared-call/core/object-hash'`: enables automatic keys for Dates, Maps, class instances and other
// non-plain objects where core's Node entry is not used (browsers, edge runtimes, `--platform=neutral` bundles).
// It bundles object-hash's self-contained build, whose sha1 is plain JavaScript; the digests equal the Node
// entry's, so processes and bundles agree on keys. Import it statically, or `await import()` it before the first
// such key to have it in a chunk of its own.
import objectHash from 'object-hash/dist/object_hash.js';
import { installContentHash } from './content-hash.js';

installContentHash((value) => objectHash(value));
