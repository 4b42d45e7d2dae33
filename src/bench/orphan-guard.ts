/**
 * Preloaded (`node --import <data URL>`) into every training process a bench cell starts: when
 * the process that started it dies (kill -9 of a queue worker's child), the run must not go on
 * writing into a run folder another worker is about to resume. The watch runs on its own thread
 * because the training loop can hold the main thread for many steps at a time.
 */
const GUARD = `
import { Worker } from 'node:worker_threads';
const w = new Worker(
  "const { workerData } = require('node:worker_threads');" +
    "setInterval(() => { if (process.ppid !== workerData) process.kill(process.pid, 'SIGKILL'); }, 250);",
  { eval: true, workerData: process.ppid },
);
w.unref();
`;

/** Node flags that make a child die with the process that spawned it. */
export const ORPHAN_GUARD_FLAGS = ['--import', `data:text/javascript,${encodeURIComponent(GUARD)}`];
