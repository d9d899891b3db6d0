import { discoverBenches } from '..';
import { measure, random } from '../harness';

describe('bench harness', () => {
  it('finds every <name>.bench.ts in scripts/bench, each with a name and a description', () => {
    const benches = discoverBenches();
    expect(benches.map((b) => b.name)).toContain('calendar');
    for (const b of benches) {
      expect(b.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(b.description.length).toBeGreaterThan(10);
    }
    expect(new Set(benches.map((b) => b.name)).size).toBe(benches.length);
  });

  it('measure() calls the operation with increasing indexes, up to maxIterations', () => {
    const seen: number[] = [];
    const m = measure((i) => seen.push(i), { minMs: 10_000, maxIterations: 100 });
    expect(m.iterations).toBe(100);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(m.perSecond).toBeGreaterThan(0);
  });

  it('random() gives the same cases for the same seed', () => {
    const a = random(42);
    const b = random(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
