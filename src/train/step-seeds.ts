export interface StepSeeds {
  dNoise: number;
  zD: number;
  gNoiseD: number;
  gpEps: number;
  zG: number;
  gNoiseG: number;
  dNoiseG: number;
}

/** Distinct, reproducible seeds for every random draw of a step: a resumed run redraws the same. */
export function stepSeeds(seed: number, step: number): StepSeeds {
  const base = (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b)) >>> 1;
  const at = (k: number) => (base + k * 7919) % 2147483647;
  return { dNoise: at(1), zD: at(2), gNoiseD: at(3), gpEps: at(4), zG: at(5), gNoiseG: at(6), dNoiseG: at(7) };
}
