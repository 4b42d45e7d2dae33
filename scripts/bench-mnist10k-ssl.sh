#!/usr/bin/env bash
# The remake of the mnist-10k report: the best semi-supervised method measured on a validation
# split (sslgan-ct-aug-mlp: consistency term + 2-pixel shifts; README, Results), the
# paper's recipe, and the two supervised baselines; budgets 20, 50, 100, 1000; seeds 1-3; every
# run bounded in steps at a constant learning rate, as measured, so the numbers do not depend on
# the machine's load. STEPS (default 6000, where the validation curve flattened; README, Results),
# WORKERS (default 1) and REPORTS_DIR (default reports, untracked) override; further arguments go
# to `ssgan bench` (not --reports-dir or --name: the ship step reads REPORTS_DIR/mnist-10k).
# Resumable: rerun to finish a killed sweep. When it ends, the finished cells are shipped without
# their checkpoints to SHIP_TO (default examples/mnist-10k; empty: not shipped).
# Smoke check: STEPS=10 REPORTS_DIR=/tmp/smoke SHIP_TO= scripts/bench-mnist10k-ssl.sh
set -euo pipefail
cd "$(dirname "$0")/.."
node bin/ssgan.js bench --dataset mnist-10k --labels 20,50,100,1000 \
  --methods sslgan-ct-aug-mlp,sslgan-mlp,supervised,supervised-aug \
  --seeds 3 --steps "${STEPS:-6000}" --lr-decay none --workers "${WORKERS:-1}" --name mnist-10k \
  --reports-dir "${REPORTS_DIR:-reports}" "$@"
SHIP_TO=${SHIP_TO-examples/mnist-10k}
if [ -n "$SHIP_TO" ]; then
  npx tsx scripts/ship-sweep.ts --to "$SHIP_TO" "${REPORTS_DIR:-reports}/mnist-10k"
fi
