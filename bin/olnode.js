#!/usr/bin/env node
// The CLI runs from the esbuild bundle (`npm run build`, also run by `npm ci` via "prepare"):
// plain node loads it in a fraction of the time tsx needs to compile the sources on every start.
await import('../dist/olnode.mjs')
