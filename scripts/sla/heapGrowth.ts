import * as v8 from 'node:v8';

/**
 * How far V8 lets the heap grow past what its last full garbage collection kept, while a sync runs: 50 %. A full
 * sync of a large org keeps a couple of hundred megabytes live (a partition of joined records, the run's ids and
 * pending writes) but allocates gigabytes that die soon after (every record read, planned and dropped). V8 sets
 * the next full collection at 1.1 to 4 times the live heap, the more the cheaper collecting is next to the
 * program's work (MemoryController::GrowingFactor, src/heap/heap-controller.cc), so a full sync of 300,000 leads
 * peaked at 1.5 GB RSS with about 250 MB live. `--heap-growing-percent` fixes that factor at 1 + percent / 100
 * (the same function reads the flag each time it sets the next limit); a library cannot put it on its caller's
 * command line, so it is set for the sync's duration and reset after (0: V8's own factor again). The cost is more
 * full collections: CPU time, not API calls or results.
 */
export const SYNC_HEAP_GROWING_PERCENT = 50;

let holders = 0;

/** Bounds the heap's growth while `run` runs (runs may overlap: the bound ends with the last). */
export async function withBoundedHeapGrowth<T>(run: () => Promise<T>): Promise<T> {
  if (holders++ === 0) v8.setFlagsFromString(`--heap-growing-percent=${SYNC_HEAP_GROWING_PERCENT}`);
  try {
    return await run();
  } finally {
    if (--holders === 0) v8.setFlagsFromString('--heap-growing-percent=0');
  }
}
