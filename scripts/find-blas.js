#!/usr/bin/env node
// Prints which GEMM native/binding.gyp builds into the addon: "blas" (the system BLAS: OpenBLAS,
// or Accelerate on macOS) or "portable" (native/gemm_portable.c, the addon's own blocked SGEMM).
// SSGAN_GEMM=blas|portable chooses; otherwise "blas" where a test program using OpenBLAS's
// cblas.h compiles and links (Debian: libopenblas-dev) or on macOS, else "portable".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const choice = process.env.SSGAN_GEMM;
if (choice && choice !== 'blas' && choice !== 'portable') {
  console.error(`SSGAN_GEMM: expected blas or portable, got ${JSON.stringify(choice)}`);
  process.exit(1);
}

// Asking the compiler finds the header and library wherever the distribution put them.
function openblasLinks() {
  const dir = mkdtempSync(join(tmpdir(), 'ssgan-find-blas-'));
  try {
    const program =
      '#include <cblas.h>\nextern char *openblas_get_config(void);\nint main(void) { return openblas_get_config() == 0; }\n';
    const r = spawnSync(process.env.CC || 'cc', ['-x', 'c', '-', '-o', join(dir, 'probe'), '-lopenblas'], {
      input: program,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    return r.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(choice ?? (process.platform === 'darwin' || openblasLinks() ? 'blas' : 'portable'));
