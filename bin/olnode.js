#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=262144 NODE_OPTIONS="--max-old-space-size=384 ${NODE_OPTIONS}" node
// Memory is bounded here, where node starts (README "Memory"):
// - The V8 heap is capped: left to size itself on a large machine (a 4 GB limit), V8 lets garbage pile
//   up to gigabytes before collecting it, while the node's own caches stay under about 100 MB
//   (node/db/trieStore.ts, node/chain/chainStore.ts, node/execution/state.ts). The young generation
//   keeps its default (48 MB): semi-spaces of 8 MB saved 16 MB but cost about 10 % of sustained throughput.
// - glibc gives each thread that allocates (libuv's pool runs LevelDB's reads and writes) an arena of
//   its own, and freed memory stays in them: 73 MB of arenas after 100,000 transfers, 18 MB with two.
// - glibc's mmap and trim thresholds stay at their starting values (128 and 256 KB): left to adjust, they
//   rise to 32 and 64 MB, and freed blocks under them stay in the heap. RSS after 100,000 transfers: 347
//   against 391-398 MB, sustained throughput unchanged (783-888 against 843-848 tx/s).
// env (-S: coreutils 8.30+, macOS) puts the user's NODE_OPTIONS after ours, so
// `NODE_OPTIONS=--max-old-space-size=1024 olnode ...` sets another cap, and it replaces itself with node
// (same pid, no wrapper). `node bin/olnode.js` skips this line.
//
// The CLI runs from the esbuild bundle (`npm run build`, also run by `npm ci` via "prepare"):
// plain node loads it in a fraction of the time tsx needs to compile the sources on every start.
await import('../dist/olnode.mjs')
