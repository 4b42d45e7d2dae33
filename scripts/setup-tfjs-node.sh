#!/usr/bin/env bash
# Builds @tensorflow/tfjs-node where its install script cannot download libtensorflow: the
# TensorFlow C library and headers come from pip's tensorflow-cpu wheel instead, and the binding
# is compiled from source against them (node-gyp). Used by .ci/run so the tests also run on
# `--backend node`; the package's own install never calls it (users get tfjs-node from npm).
#
#   scripts/setup-tfjs-node.sh        # idempotent; a no-op once tfjs-node loads
#
# Exits 0 with one line when it cannot be done here (no pip, no wheel, no compiler): the node
# tests are then skipped, and say so. The wheel (274 MB) and the built binding are cached in
# ${SSGAN_CACHE_DIR:-~/.cache/ssgan}, so a rerun after `npm ci` (which drops tfjs-node again)
# takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

TFJS_NODE=4.22.0
TF=2.21.0
# The name tfjs-node's install script looks for: when it exists, it skips its download and builds.
TFJS_EXPECTS=libtensorflow.so.2.9.1
PKG=node_modules/@tensorflow/tfjs-node
CACHE=${SSGAN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ssgan}
export TF_CPP_MIN_LOG_LEVEL=2

skip() {
  echo "ssgan: tfjs-node not set up ($1); the node-backend tests will be skipped"
  exit 0
}

loads() {
  node -e "const tf = require('@tensorflow/tfjs-node'); if (tf.getBackend() !== 'tensorflow') process.exit(1); tf.add(1, 2).dataSync();" \
    >/dev/null 2>&1
}

if [ -d "$PKG" ] && loads; then
  echo "ssgan: tfjs-node $TFJS_NODE already loads (node_modules/@tensorflow/tfjs-node)"
  exit 0
fi

napi=$(node -p 'process.versions.napi')
built="$CACHE/tfjs-node-$TFJS_NODE-tf$TF-napi$napi-$(uname -s)-$(uname -m)"
# node-pre-gyp builds for the highest N-API version both node and tfjs-node list (lib/napi-vN).
has_binding() { compgen -G "$1/lib/napi-v*/tfjs_binding.node" >/dev/null; }

if ! has_binding "$built"; then
  command -v python3 >/dev/null || skip "no python3 for pip"
  python3 -m pip --version >/dev/null 2>&1 || skip "no pip"
  mkdir -p "$CACHE/wheels"
  wheel=$(ls "$CACHE"/wheels/tensorflow_cpu-"$TF"-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$wheel" ]; then
    if ! out=$(python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$CACHE/wheels" \
      "tensorflow-cpu==$TF" 2>&1); then
      skip "pip could not get tensorflow-cpu==$TF: $(printf '%s\n' "$out" | grep -v '^\s*$' | tail -n 1)"
    fi
    wheel=$(ls "$CACHE"/wheels/tensorflow_cpu-"$TF"-*.whl | head -n 1)
  fi
fi

had_gpu=0
[ -d node_modules/@tensorflow/tfjs-node-gpu ] && had_gpu=1
if [ ! -f "$PKG/package.json" ]; then
  # --no-save leaves package.json and the lock alone; --ignore-scripts skips the download attempt.
  npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error "@tensorflow/tfjs-node@$TFJS_NODE" \
    >/dev/null || skip "npm install @tensorflow/tfjs-node@$TFJS_NODE failed"
fi
# npm installs every optional dependency it can reach, so tfjs-node-gpu arrives too, without a
# binding; `npm ci` drops it when its download fails, and so do we, to leave the same tree.
if [ "$had_gpu" = 0 ] && [ ! -d node_modules/@tensorflow/tfjs-node-gpu/lib ]; then
  rm -rf node_modules/@tensorflow/tfjs-node-gpu
fi

if ! has_binding "$built"; then
  tmp=$(mktemp -d "$CACHE/build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # The C API headers and what they include; the two shared libraries.
  python3 - "$wheel" "$tmp" <<'EOF'
import sys, zipfile, shutil, os
wheel, out = sys.argv[1], sys.argv[2]
libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
heads = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/tensorflow/core/platform/',
         'tensorflow/include/tsl/platform/', 'tensorflow/include/xla/tsl/')
with zipfile.ZipFile(wheel) as z:
    for n in z.namelist():
        if n in libs:
            dest = os.path.join(out, 'deps/lib', os.path.basename(n))
        elif n.startswith(heads) and not n.endswith('/'):
            dest = os.path.join(out, 'deps/include', n[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(n) as src, open(dest, 'wb') as dst:
            shutil.copyfileobj(src, dst)
EOF
  ln -s libtensorflow_cc.so.2 "$tmp/deps/lib/libtensorflow.so"
  ln -s libtensorflow_framework.so.2 "$tmp/deps/lib/libtensorflow_framework.so"
  ln -s libtensorflow_cc.so.2 "$tmp/deps/lib/$TFJS_EXPECTS"
  rm -rf "$PKG/deps" "$PKG/lib"
  cp -a "$tmp/deps" "$PKG/deps"
  # Its install script finds $TFJS_EXPECTS, skips the download and runs node-pre-gyp, which
  # compiles the binding; the binding's RUNPATH ($ORIGIN/../../deps/lib) finds the libraries.
  if ! log=$(npm_config_build_from_source=true npm rebuild --foreground-scripts @tensorflow/tfjs-node 2>&1) ||
    ! has_binding "$PKG"; then
    skip "building the tfjs-node binding failed: $(printf '%s\n' "$log" | grep -iE 'error' | head -n 1)"
  fi
  # Keep the result for the next `npm ci`: deps/ and lib/ are all the package lacks from npm.
  rm -rf "$tmp/lib" && cp -a "$PKG/lib" "$tmp/lib"
  rm -rf "$built" && mv "$tmp" "$built"
  trap - EXIT
  how="built against TensorFlow $TF (pip's tensorflow-cpu wheel), cached in $built"
else
  rm -rf "$PKG/deps" "$PKG/lib"
  cp -a "$built/deps" "$PKG/deps"
  cp -a "$built/lib" "$PKG/lib"
  how="TensorFlow $TF, restored from $built"
fi

loads || skip "the built binding does not load: $(node -e "require('@tensorflow/tfjs-node')" 2>&1 | grep -m1 -i error)"
echo "ssgan: tfjs-node $TFJS_NODE $how"
