/** A bench flag's value; `true` is a flag without a value. */
type Flag = string | number | true;

/**
 * `ssgan bench` flags of a tiny sweep on the embedded digits: one seed, on wasm, unless `flags`
 * says otherwise; keys are the flags' names.
 */
export function benchFlags(flags: Record<string, Flag>): string[] {
  const all: Record<string, Flag> = { dataset: 'mnist-10k', seeds: 1, backend: 'wasm', ...flags };
  return Object.entries(all).flatMap(([k, v]) => (v === true ? [`--${k}`] : [`--${k}`, String(v)]));
}
