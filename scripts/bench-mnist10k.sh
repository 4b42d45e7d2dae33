#!/usr/bin/env bash
# The sweep behind the first examples/mnist-10k report: every label budget, the paper's K+1 GAN
# against the supervised baselines (plain, shift-augmented, and with generated images), two seeds,
# 2,000 steps a run, WORKERS (default 2) worker processes. The gan-aug cells now draw from the
# conditional GAN (README, "Augmentation data in the bench"); the shipped report's gan-aug column
# came from the earlier recipe (the 1,000 most confident of the unconditional generator's samples).
# Resumable: rerun to finish a killed sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
node bin/ssgan.js bench --dataset mnist-10k --labels 20,50,100,1000,all \
  --methods sslgan-mlp,supervised,supervised-aug,supervised+gan-aug \
  --seeds 2 --steps 2000 --workers "${WORKERS:-2}" --name mnist-10k --reports-dir examples "$@"
