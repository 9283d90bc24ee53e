// Jest snapshot serializer: replaces asset hashes (64 hex digits) so that snapshots change only
// when a template changes, not when an asset's bytes or the bundler do.
const HASH = /[0-9a-f]{64}/g;

module.exports = {
  test: (value) => typeof value === 'string' && HASH.test(value) && !(HASH.lastIndex = 0),
  serialize: (value) => JSON.stringify(value.replace(HASH, '[ASSET-HASH]')),
};
