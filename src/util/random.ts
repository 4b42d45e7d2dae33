import seedrandom from 'seedrandom';

/**
 * One seeded stream per purpose (`fork('split')`, `fork('init')`...), so adding a random draw in
 * one place does not shift the numbers every other place sees.
 */
export interface Rng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** A 31-bit integer, for tfjs ops and initialisers that take a numeric seed. */
  seedInt(): number;
  /** In-place Fisher-Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T;
  /** An independent stream derived from this seed and a label. */
  fork(label: string): Rng;
}

export function createRng(seed: number, label = 'root'): Rng {
  const prng = seedrandom(`${seed}:${label}`);
  const rng: Rng = {
    seed,
    next: () => prng(),
    int: (n) => Math.floor(prng() * n),
    normal() {
      let u = 0;
      while (u === 0) u = prng();
      const v = prng();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    seedInt: () => Math.floor(prng() * 0x7fffffff),
    shuffle(a) {
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(prng() * (i + 1));
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
      return a;
    },
    fork: (sub) => createRng(seed, `${label}/${sub}`),
  };
  return rng;
}
