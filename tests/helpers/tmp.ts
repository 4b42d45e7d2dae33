import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
// A suite run makes ~1,800 folders (runs, piles, checkpoints: gigabytes); each test process
// removes its own when it ends. SSGAN_KEEP_TEST_DIRS=1 keeps them for a post-mortem.
process.once('exit', () => {
  if (process.env.SSGAN_KEEP_TEST_DIRS === '1') return;
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'ssgan-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
