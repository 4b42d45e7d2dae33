/**
 * Option tables: one entry per setting, holding its type, range, default and help. CLI flags,
 * config defaults and bench variants are all generated from tables like these, so a setting is
 * declared once.
 */
export type OptionSpec =
  | { type: 'number' | 'int'; default?: number; min?: number; max?: number; openMin?: boolean; describe: string }
  | { type: 'boolean'; default?: boolean; describe: string }
  | { type: 'string'; default?: string; describe: string }
  | { type: 'choice'; choices: readonly string[]; default?: string; describe: string };

export type OptionTable = Record<string, OptionSpec>;

type ValueOf<S> = S extends { type: 'choice'; choices: readonly (infer C)[] }
  ? C
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'string' }
      ? string
      : number;

/** The config values a table describes; settings with a default are always present. */
export type OptionsOf<T extends OptionTable> = {
  [K in keyof T as T[K] extends { default: unknown } ? K : never]: ValueOf<T[K]>;
} & {
  [K in keyof T as T[K] extends { default: unknown } ? never : K]?: ValueOf<T[K]>;
};

export function defaultsOf<T extends OptionTable>(table: T): OptionsOf<T> {
  return Object.fromEntries(
    Object.entries(table)
      .filter(([, s]) => s.default !== undefined)
      .map(([k, s]) => [k, s.default]),
  ) as OptionsOf<T>;
}

/** `gLrMult` -> `g-lr-mult`: the flag that sets a config key. */
export function flagOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Checks one value against its spec; returns the value or the reason it is wrong. */
export function checkValue(spec: OptionSpec, v: unknown): { value: unknown } | { expected: string } {
  switch (spec.type) {
    case 'boolean':
      return typeof v === 'boolean' ? { value: v } : { expected: 'true or false' };
    case 'string':
      return typeof v === 'string' && v !== '' ? { value: v } : { expected: 'a non-empty string' };
    case 'choice':
      return spec.choices.includes(String(v))
        ? { value: String(v) }
        : { expected: `one of ${spec.choices.join(', ')}` };
    default: {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      const min = spec.min ?? -Infinity;
      const max = spec.max ?? Infinity;
      const whole = spec.type === 'int';
      const ok =
        Number.isFinite(n) && (!whole || Number.isInteger(n)) && n <= max && (spec.openMin ? n > min : n >= min);
      if (ok) return { value: n };
      const range = `${spec.openMin ? '(' : '['}${Number.isFinite(min) ? min : '-∞'}, ${Number.isFinite(max) ? max : '∞'}]`;
      return { expected: `${whole ? 'an integer' : 'a number'} in ${range}` };
    }
  }
}
