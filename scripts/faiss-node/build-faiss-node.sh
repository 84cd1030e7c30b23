#!/usr/bin/env bash
# Builds faiss-node's native addon from the package's own C++ sources against the system FAISS
# (Debian's libfaiss-dev: a static libfaiss plus BLAS/LAPACK and OpenMP), instead of its install
# script, which downloads a prebuilt binary or clones FAISS from the network (skipped through
# package.json "allowScripts").
#
#   build-faiss-node.sh            build if missing or stale; if it cannot, warn and exit 0
#                                  (the cache's vector index then runs as a linear scan)
#   build-faiss-node.sh --require  the same, but exit 1 when it cannot (CI, where FAISS must be real)
#
# Needs g++, libfaiss-dev and Node's headers (shipped with Node in <prefix>/include/node);
# scripts/ensure-system-deps.sh installs the first two. Runs before `npm test` (pretest).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly ROOT
readonly HERE="$ROOT/scripts/faiss-node"
readonly PKG="$ROOT/node_modules/faiss-node"
readonly OUT="$PKG/build/Release/faiss-node.node"
readonly FAISS_INCLUDE="${FAISS_INCLUDE:-/usr/include}"
REQUIRE=0
[ "${1:-}" = "--require" ] && REQUIRE=1

give_up() {
  echo "faiss-node: not built: $*; the cache's vector index will use a linear scan (docs/dependencies.md)" >&2
  exit "$REQUIRE"
}

[ -f "$PKG/src/faiss.cc" ] || give_up "node_modules/faiss-node is missing (run npm ci first)"
if [ -f "$OUT" ] && [ "$OUT" -nt "$PKG/src/faiss.cc" ] && [ "$OUT" -nt "$0" ]; then exit 0; fi
command -v g++ >/dev/null || give_up "no C++ compiler (Debian: g++)"
[ -f "$FAISS_INCLUDE/faiss/Index.h" ] || give_up "no FAISS headers in $FAISS_INCLUDE/faiss (Debian: libfaiss-dev)"
NODE_INCLUDE="$(node -p 'require("node:path").resolve(process.execPath, "../../include/node")')"
[ -f "$NODE_INCLUDE/node_api.h" ] || give_up "no Node headers at $NODE_INCLUDE"
ADDON_API="$(cd "$PKG" && node -p 'require("node:path").dirname(require.resolve("node-addon-api/package.json"))')"

compat=()
# FAISS >= 1.7.4 declares idx_t at namespace scope (MetricType.h); 1.7.3 needs the shim.
grep -qs '^using idx_t' "$FAISS_INCLUDE/faiss/MetricType.h" || compat=(-include "$HERE/faiss-idx-compat.h")

mkdir -p "$(dirname "$OUT")"
echo "faiss-node: building the addon against $FAISS_INCLUDE/faiss (about 10 s)" >&2
# NAPI_VERSION 6 and C++ exceptions as the package's CMakeLists.txt builds it.
if ! g++ -std=c++17 -O2 -shared -fPIC -fexceptions -DNAPI_VERSION=6 -DNAPI_CPP_EXCEPTIONS -DBUILDING_NODE_EXTENSION \
  -I"$NODE_INCLUDE" -I"$ADDON_API" -I"$FAISS_INCLUDE" "${compat[@]}" \
  "$PKG/src/faiss.cc" -o "$OUT.tmp" -lfaiss -lblas -llapack -lgomp; then
  rm -f "$OUT.tmp"
  give_up "the compiler failed (output above)"
fi
mv "$OUT.tmp" "$OUT"
if ! (cd "$ROOT" && node -e 'const f = require("faiss-node"); const i = new f.IndexFlatIP(2); i.add([1, 0]); if (i.search([1, 0], 1).labels[0] !== 0) process.exit(1)'); then
  rm -f "$OUT"
  give_up "the built addon does not load or answers wrongly"
fi
echo "faiss-node: built $OUT" >&2
