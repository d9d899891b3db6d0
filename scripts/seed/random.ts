import { Faker, base, en, generateMersenne32Randomizer, type Randomizer } from '@faker-js/faker';

/**
 * The seed's only source of randomness: one faker instance seeded once. Every draw the plan makes
 * goes through it, in a fixed order, so the same seed (and the same `now`) gives the same plan.
 * Never Math.random, never faker's date helpers (they read the wall clock).
 */
export class SeedRandom {
  readonly faker: Faker;
  private drawn: number;

  /** `skip`: start that many draws into the sequence (see `at`). */
  constructor(
    private readonly seed: number,
    skip = 0
  ) {
    // a randomizer seeded up front: Faker's default one would first seed itself from Math.random
    const source = generateMersenne32Randomizer(seed);
    for (let i = 0; i < skip; i++) source.next();
    this.drawn = skip;
    const counted: Randomizer = {
      next: () => {
        this.drawn++;
        return source.next();
      },
      seed: (s) => source.seed(s)
    };
    this.faker = new Faker({ locale: [en, base], randomizer: counted });
  }

  /** Draws taken from the sequence so far. */
  get position(): number {
    return this.drawn;
  }

  /**
   * A second source on the same sequence, starting at `position`: it draws again what this one drew from there.
   * The plan uses it to build a lead's story just before writing the lead, while this source stays where the
   * writing draws are (see leads.ts).
   */
  at(position: number): SeedRandom {
    return new SeedRandom(this.seed, position);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.faker.number.float({ min: 0, max: 1 });
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return this.faker.number.int({ min, max });
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)];
  }

  /** One of `entries`, with probability proportional to its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.float() * total;
    for (const [value, w] of entries) {
      if (x < w) return value;
      x -= w;
    }
    return entries[entries.length - 1][0];
  }

  /** Up to `n` distinct items of `items`, in a random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(this.int(0, copy.length - 1), 1)[0]);
    return out;
  }

  /** Roughly normal (Irwin–Hall of 4 uniforms), mean `mean`, standard deviation `sd`. */
  normal(mean: number, sd: number): number {
    const s = this.float() + this.float() + this.float() + this.float();
    return mean + ((s - 2) / Math.sqrt(4 / 12)) * sd;
  }
}
