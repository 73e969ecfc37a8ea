#!/usr/bin/env bash
# Starts a release `concord` on DATABASE_URL with the settings the benchmark needs, runs
# `bench run` against it with the remaining arguments, prints the table, stops the server.
#
#   bench/scripts/serve-and-run.sh 'sqlite:///tmp/bench/small.db?mode=rwc' --operations caseload,child-view
#   PORT=18081 bench/scripts/serve-and-run.sh postgres://postgres@127.0.0.1:55433/concord_bench_small
#
# Build first: cargo build --release -p concord -p bench
set -euo pipefail
DATABASE_URL="$1"; shift
PORT="${PORT:-18080}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LOG="${LOG:-/tmp/concord-bench-$PORT.log}"
export CONCORD_JWT_SECRET="${CONCORD_JWT_SECRET:-bench-secret-that-is-long-enough-for-hs256-0123456789}"
export CONCORD_JWT_ISSUER="${CONCORD_JWT_ISSUER:-concord-bench}"
export CONCORD_JWT_AUDIENCE="${CONCORD_JWT_AUDIENCE:-concord-bench}"
RUST_LOG="${RUST_LOG:-warn}" "${CONCORD:-$ROOT/target/release/concord}" serve \
  --database-url "$DATABASE_URL" --listen "127.0.0.1:$PORT" \
  --designated-social-care bench-csc-01 --designated-police bench-police-01 \
  --rate-limit-per-subject 0 --rate-limit-per-address 0 \
  --max-connections-per-address 0 --max-connections 25000 \
  --log-format json >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 1500); do  # start-up may rebuild the stored deadlines first
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
"${BENCH:-$ROOT/target/release/bench}" run --url "http://127.0.0.1:$PORT" --database-url "$DATABASE_URL" \
  --server-pid "$SERVER" "$@"
