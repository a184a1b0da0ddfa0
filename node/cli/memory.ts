import { getHeapStatistics } from 'node:v8'
import type { Logger } from '../logger.ts'

/** --help's word on memory: the cap is set where node starts (bin/olnode.js), so it is changed there too. */
export const MEMORY_USAGE = `Memory:
  The olnode command (bin/olnode.js: also npm start and the Docker image) runs node with
  --max-old-space-size=384: a V8 heap of 384 MB, the node's caches (about 100 MB) and room for large
  requests; with MALLOC_ARENA_MAX=2 (two malloc arenas, not one per thread); and with glibc's mmap
  and trim thresholds fixed at 128 and 256 KB (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_), so freed
  memory goes back to the system.
  NODE_OPTIONS=--max-old-space-size=N olnode ... sets N MB instead (yours comes last, so it wins).`

/** V8's heap limit for this process in MB (old space plus young generation), as the flag above set it. */
export function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)
}

/** Logged at start: a node started without the bin (`node dist/olnode.mjs`) shows it runs uncapped. */
export function logHeapLimit(logger: Logger): void {
  logger.info({ heapLimitMb: heapLimitMb() }, 'V8 heap limit')
}
