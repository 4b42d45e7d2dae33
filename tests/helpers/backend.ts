/**
 * The backend the backend-generic tests run on: wasm (+ native kernels) in the main ava run,
 * node in the node-backend group (scripts/test-node-backend.js sets SSGAN_TEST_BACKEND=node).
 */
export type TestBackend = 'wasm' | 'node';

function fromEnv(): TestBackend {
  const v = process.env.SSGAN_TEST_BACKEND;
  if (v === undefined || v === '' || v === 'wasm') return 'wasm';
  if (v === 'node') return 'node';
  throw new Error(`SSGAN_TEST_BACKEND: expected wasm or node, got ${JSON.stringify(v)}`);
}

export const TEST_BACKEND: TestBackend = fromEnv();

/** tfjs' name for the engine TEST_BACKEND runs on. */
export const TEST_ENGINE = TEST_BACKEND === 'node' ? 'tensorflow' : 'wasm';
