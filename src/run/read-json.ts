import { existsSync, readFileSync } from 'node:fs';

/** A run folder's JSON file (`what` it holds, for the message), or an error naming the file. */
export function readJson<T>(path: string, what: string): T {
  if (!existsSync(path))
    throw new Error(
      `${path}: missing; is this a run folder written by \`ssgan train\` or \`ssgan baseline\`? (${what})`,
    );
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}
