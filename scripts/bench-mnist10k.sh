#!/usr/bin/env bash
# The sweep behind examples/mnist-10k (the shipped example report): every label budget, the semi-supervised GAN against the
# supervised baselines (plain, shift-augmented, and augmented with 1,000 generated images),
# two seeds, 2,000 steps a run, WORKERS (default 2) worker processes. Resumable: rerun to finish a
# killed sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
node bin/ssgan.js bench --dataset mnist-10k --labels 20,50,100,1000,all \
  --methods sslgan-mlp,supervised,supervised-aug,supervised+gan-aug \
  --seeds 2 --steps 2000 --workers "${WORKERS:-2}" --name mnist-10k --reports-dir examples "$@"
