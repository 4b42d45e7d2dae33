import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ADDON = fileURLToPath(new URL('../../native/build/Release/ssgan_blas.node', import.meta.url));

/**
 * Native BLAS kernels for the wasm backend are optional: when the addon is not built (no
 * compiler, no OpenBLAS) everything runs on plain wasm kernels and the backend line says why.
 */
export async function enableNativeKernels(): Promise<{ enabled: boolean; detail: string }> {
  if (!existsSync(ADDON)) return { enabled: false, detail: 'native BLAS addon not built (npm run build:native)' };
  const { blasThreads, registerNativeKernels } = await import('./native-kernels.ts');
  // A bad SSGAN_BLAS_THREADS is the user's to fix, not a reason to fall back quietly.
  const threads = blasThreads();
  try {
    return registerNativeKernels(require(ADDON), threads);
  } catch (e) {
    return { enabled: false, detail: `native BLAS addon failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}
