import type { Argv, Options } from 'yargs';
import { checkValue, flagOf, type OptionSpec, type OptionTable } from '../config/options.ts';
import { UsageError } from './options.ts';

function yargsOption(spec: OptionSpec, group: string | undefined, withDefault: boolean): Options {
  const base: Options = { describe: spec.describe, group };
  if (spec.default !== undefined) {
    if (withDefault) base.default = spec.default;
    else base.defaultDescription = JSON.stringify(spec.default);
  }
  if (spec.type === 'choice') return { ...base, choices: [...spec.choices] };
  if (spec.type === 'boolean') return { ...base, type: 'boolean' };
  if (spec.type === 'string') return { ...base, type: 'string' };
  return { ...base, type: 'number' };
}

/**
 * Declares one flag per table entry (`gLrMult` -> `--g-lr-mult`), each checked by its spec with
 * a one-line error. `withDefaults: false` leaves unset flags undefined, so the caller can tell
 * what the user gave (method settings: their defaults are filled in by makeConfig).
 */
export function withOptionTable<T>(
  y: Argv<T>,
  table: OptionTable,
  opts: { group?: string; withDefaults?: boolean } = {},
) {
  let out = y;
  for (const [key, spec] of Object.entries(table)) {
    const flag = flagOf(key);
    out = out.option(flag, {
      ...yargsOption(spec, opts.group, opts.withDefaults ?? true),
      coerce: (v: unknown) => {
        const c = checkValue(spec, v);
        if ('expected' in c) throw new UsageError(`--${flag}: expected ${c.expected}, got ${JSON.stringify(v)}`);
        return c.value;
      },
    });
  }
  return out;
}

/** The table's settings the parsed arguments hold (undefined ones left out). */
export function settingsFrom(table: OptionTable, args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(table)
      .filter((k) => args[k] !== undefined)
      .map((k) => [k, args[k]]),
  );
}
