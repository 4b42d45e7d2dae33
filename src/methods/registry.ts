import type { MethodDefinition } from './types.ts';
import { sslgan } from './sslgan/index.ts';
import { sslganAug } from './sslgan-aug/index.ts';
import { sslganCond } from './sslgan-cond/index.ts';
import { sslganCt } from './sslgan-ct/index.ts';
import { sslganCtAug } from './sslgan-ct-aug/index.ts';
import { supervised } from './supervised/index.ts';

/** Every training method, by id: adding a method is one folder under src/methods and one line here. */
export const METHOD_REGISTRY: Record<string, MethodDefinition> = {
  [sslgan.id]: sslgan,
  [sslganCt.id]: sslganCt,
  [sslganAug.id]: sslganAug,
  [sslganCtAug.id]: sslganCtAug,
  [sslganCond.id]: sslganCond,
  [supervised.id]: supervised,
};

export function methodDefinition(id: string): MethodDefinition {
  const def = METHOD_REGISTRY[id];
  if (!def)
    throw new Error(`--method: expected one of ${Object.keys(METHOD_REGISTRY).join(', ')}, got ${JSON.stringify(id)}`);
  return def;
}

/** Every bench variant of every method: the names sweeps and reports compare. */
export function allVariants(): {
  name: string;
  method: MethodDefinition;
  settings: Record<string, unknown>;
  needsGenerator: boolean;
}[] {
  return Object.values(METHOD_REGISTRY).flatMap((m) =>
    Object.entries(m.variants).map(([name, v]) => ({
      name,
      method: m,
      settings: v.settings,
      needsGenerator: !!v.needsGenerator,
    })),
  );
}
