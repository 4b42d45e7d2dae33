#!/usr/bin/env bash
# Wall time of one 12-cell sweep (2 budgets x 3 methods x 2 seeds) on the local pool (2 worker
# processes) and through Redis with 2 `ssgan worker`s on this machine, in one run; prints the ratio.
# Starts its own redis-server (127.0.0.1, a free port, AOF, temp folder). STEPS (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${STEPS:-200}"
tmp="$(mktemp -d)"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
redis-server --port "$port" --bind 127.0.0.1 --dir "$tmp" --appendonly yes --save '' --daemonize no >"$tmp/redis.log" &
redis=$!
workers=()
cleanup() {
  for w in "${workers[@]}"; do kill "$w" 2>/dev/null || true; done
  kill "$redis" 2>/dev/null || true
}
trap cleanup EXIT
until grep -q 'Ready to accept' "$tmp/redis.log"; do sleep 0.1; done
grid=(--dataset mnist-10k --labels 20,100 --methods sslgan-mlp,supervised,supervised-aug --seeds 2
  --steps "$STEPS" --batch-size 50 --backend wasm --name q12 --no-report)

t0=$(date +%s.%N)
node bin/ssgan.js bench "${grid[@]}" --reports-dir "$tmp/local" --workers 2 2>"$tmp/local.log"
t1=$(date +%s.%N)
url="redis://127.0.0.1:$port"
for i in 1 2; do
  node bin/ssgan.js worker --queue "$url" --queue-name q12 --results "$tmp/shared" 2>"$tmp/worker$i.log" &
  workers+=($!)
done
node bin/ssgan.js bench "${grid[@]}" --queue "$url" --queue-name q12 --results "$tmp/shared" 2>"$tmp/queue.log"
t2=$(date +%s.%N)
node -e "
const [l, q] = [$t1 - $t0, $t2 - $t1];
const a = require('$tmp/local/q12/results.json').rows, b = require('$tmp/shared/q12/results.json').rows;
const same = a.every((r) => b.some((s) => s.id === r.id && s.accuracy === r.accuracy));
console.log('local pool, 2 workers: ' + l.toFixed(1) + ' s');
console.log('redis, 2 ssgan workers (worker start-up included): ' + q.toFixed(1) + ' s');
console.log('queue / local: ' + (q / l).toFixed(3) + '; ' + a.length + ' cells, same accuracies: ' + same);
"
