// object-hash's self-contained build (no `require('crypto')`), which bundles for every platform.
declare module 'object-hash/dist/object_hash.js' {
  import objectHash from 'object-hash';
  export = objectHash;
}
