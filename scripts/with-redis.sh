#!/usr/bin/env bash
# Run a command with a throwaway redis-server on 127.0.0.1 (a free port, files in a temp folder),
# INTAKE_REDIS_URL pointing at it; the server is stopped when the command ends, however it ends.
#   scripts/with-redis.sh intake worker --processes 2
set -euo pipefail
command -v redis-server >/dev/null || { echo "redis-server is not installed: make system" >&2; exit 1; }
dir=$(mktemp -d -t intake-redis-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save "" --appendonly yes >"$dir/redis.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
export INTAKE_REDIS_URL="redis://127.0.0.1:$port/0"
echo "redis-server on $INTAKE_REDIS_URL (pid $pid)" >&2
"$@"
