#!/usr/bin/env -S NODE_OPTIONS="--max-old-space-size=384 ${NODE_OPTIONS}" node
// The V8 heap is capped (the flag above): left to size itself on a large machine (a 4 GB limit), V8 lets
// garbage pile up to gigabytes before collecting it, while the node's own caches stay under about
// 150 MB (node/db/trieStore.ts, node/chain/chainStore.ts). env (-S: coreutils 8.30+, macOS) puts the
// user's NODE_OPTIONS after ours, so `NODE_OPTIONS=--max-old-space-size=1024 olnode ...` sets another
// cap, and it replaces itself with node (same pid, no wrapper). `node bin/olnode.js` skips this line.
//
// The CLI runs from the esbuild bundle (`npm run build`, also run by `npm ci` via "prepare"):
// plain node loads it in a fraction of the time tsx needs to compile the sources on every start.
await import('../dist/olnode.mjs')
