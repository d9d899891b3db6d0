/**
 * The bench harness: `npm run bench [-- <name> ...]` runs every `scripts/bench/<name>.bench.ts` (compiled
 * to dist/bench/<name>.bench.js) whose name matches. A bench module default-exports `defineBench({...})`;
 * nothing else needs registering. Benches print their own lines through `ctx.log` and return their figures,
 * which the runner also writes to bench/results/<name>.json (ignored by git) for comparing runs.
 */

export interface BenchContext {
  /** One line of output (stdout). */
  log(line: string): void;
}

export interface BenchResult {
  /** Figures worth keeping (ops/s, ratios, counts), written to bench/results/<name>.json. */
  metrics: Record<string, number | string | boolean>;
  /** False when the bench found a wrong answer (not for being slow): the run then exits 1. */
  ok: boolean;
}

export interface Bench {
  /** Short lowercase name, as typed on the command line (`npm run bench -- calendar`). */
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult> | BenchResult;
}

export function defineBench(bench: Bench): Bench {
  return bench;
}

export interface Measurement {
  iterations: number;
  ms: number;
  perSecond: number;
}

/**
 * Calls `fn(i)` for i = 0, 1, 2 … in growing batches until at least `minMs` have passed, and returns the
 * rate. `fn` should do one operation; keep its result somewhere (see `sink`) so the work is not optimized away.
 */
export function measure(fn: (i: number) => void, opts: { minMs?: number; maxIterations?: number } = {}): Measurement {
  const minMs = opts.minMs ?? 1000;
  const maxIterations = opts.maxIterations ?? Number.MAX_SAFE_INTEGER;
  let iterations = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs && iterations < maxIterations) {
    const end = Math.min(iterations + batch, maxIterations);
    for (let i = iterations; i < end; i++) fn(i);
    iterations = end;
    batch *= 2;
    elapsed = performance.now() - start;
  }
  return { iterations, ms: elapsed, perSecond: (iterations * 1000) / elapsed };
}

/** Somewhere to put results so the engine cannot drop the work that made them. */
export const sink: { value: unknown } = { value: undefined };

/** A small, seeded PRNG (mulberry32): the same cases on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1234567.8 → "1,234,568". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
