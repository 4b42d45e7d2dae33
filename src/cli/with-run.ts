import { selectBackend, type BackendChoice, type BackendInfo } from '../backend/select.ts';
import { loadRun } from '../run/load.ts';
import type { LoadedRun } from '../run/types.ts';

/** The flags of every command that reads a trained run. */
export interface RunArgs {
  run: string;
  backend: BackendChoice;
  native: 'auto' | 'off';
  seed: number;
}

/** Selects the backend, loads the run, hands both to `use`, and releases the run's tensors after. */
export async function withRun<T>(
  a: RunArgs,
  use: (run: LoadedRun, backend: BackendInfo) => T | Promise<T>,
): Promise<T> {
  const backend = await selectBackend({ backend: a.backend, native: a.native });
  const run = await loadRun(a.run);
  try {
    return await use(run, backend);
  } finally {
    run.dispose();
  }
}
