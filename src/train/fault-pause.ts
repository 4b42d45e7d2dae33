import { writeFileSync, writeSync } from 'node:fs';

/**
 * Fault injection for tests: SSGAN_FAULT_PAUSE=<stage>@<step> (comma-separated for several)
 * stops the process right after that stage of the checkpoint save at that step, so a test can
 * kill -9 it at exactly that point. Announces itself with a line on stderr and, when
 * SSGAN_FAULT_MARKER names a file, by writing that file. Inert when the variable is unset.
 */
export type SaveStage = 'clear' | 'file' | 'files' | 'manifest' | 'rename' | 'pointer' | 'prune';

export const SAVE_STAGES: readonly SaveStage[] = ['clear', 'file', 'files', 'manifest', 'rename', 'pointer', 'prune'];

export function faultPause(stage: SaveStage, step: number): void {
  const spec = process.env.SSGAN_FAULT_PAUSE;
  if (!spec || !spec.split(',').includes(`${stage}@${step}`)) return;
  const line = `ssgan-fault: paused after stage ${stage} of the step ${step} save\n`;
  writeSync(2, line);
  if (process.env.SSGAN_FAULT_MARKER) writeFileSync(process.env.SSGAN_FAULT_MARKER, line);
  // Block the whole process (timers and I/O included) until the test kills it.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
