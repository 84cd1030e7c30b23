#!/usr/bin/env bash
# Installs the system packages the tests use when they are missing: Maven and pip (model
# fallbacks), python3-venv (the graph optimizer's venv), Java 17 (ElasticMQ, the local SQS
# server), promtool (alert rule tests), redis-server (the cache plugin's shared tier), g++ and
# libfaiss-dev (faiss-node's addon, built by scripts/faiss-node/build-faiss-node.sh).
# Runs before `npm test`; as root it installs with apt-get, otherwise it says what to install.
set -euo pipefail
need=()
command -v mvn >/dev/null || need+=(maven)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v pip3 >/dev/null || python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
# `embedline model optimize` (and its test) builds a venv: Debian's python3 needs python3-venv for ensurepip.
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
command -v promtool >/dev/null || need+=(prometheus)
command -v redis-server >/dev/null || need+=(redis-server)
command -v g++ >/dev/null || need+=(g++)
[ -f /usr/include/faiss/Index.h ] || need+=(libfaiss-dev)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "missing system packages: ${need[*]} (install them with your package manager)" >&2
  exit 1
fi
