#!/usr/bin/env bash
# Serve MotCua with the background task worker (notifications) beside it, and stop them together.
#
#   scripts/serve.sh run   gunicorn, as in production: WORKERS sync workers (default 2 per core,
#                          the best setting in BENCHMARKS.md), DEBUG off, static files from
#                          var/static by WhiteNoise (`make setup` collects them)
#   scripts/serve.sh dev   Django's runserver with auto-reload and debug pages; the worker
#                          restarts on code changes too
#
# HOST, PORT and WORKERS come from the environment (the Makefile passes them). Ctrl+C, TERM or HUP
# stops both processes gracefully (a second one kills them at once); when either stops on its own
# the other is stopped too, and the script exits with its status. Nothing is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mode=${1:-run}
host=${HOST:-127.0.0.1}
port=${PORT:-8000}
workers=${WORKERS:-$((2 * $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)))}
# The settings derive the default public URL (QR codes, links) from these.
export MOTCUA_HOST=$host MOTCUA_PORT=$port

# Job control puts each child in its own process group, so a signal sent to the group from here
# reaches every process of it (gunicorn's workers, the reloader's child) exactly once, and the
# terminal's Ctrl+C reaches only this script, which decides the order.
set -m
pids=()

kill_groups() {
  local signal=$1 pid
  for pid in "${pids[@]}"; do kill "-$signal" -- "-$pid" 2>/dev/null || true; done
}

stop() {
  trap 'kill_groups KILL; exit 137' INT TERM HUP
  kill_groups TERM
  local pid
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  kill_groups KILL  # whatever a leader left behind in its group
}

trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP

case $mode in
  run)
    "$BIN/python" manage.py db_worker --queue-name '*' </dev/null &
    pids+=($!)
    # motcua/config/gunicorn.py: the masked access log, request line and header limits.
    "$BIN/gunicorn" motcua.config.wsgi:application --config python:motcua.config.gunicorn \
      --bind "$host:$port" --workers "$workers" --worker-class sync \
      --timeout 60 --graceful-timeout 20 --access-logfile - --no-control-socket </dev/null &
    pids+=($!)
    ;;
  dev)
    "$BIN/python" manage.py db_worker --queue-name '*' --reload </dev/null &
    pids+=($!)
    MOTCUA_DEBUG=1 "$BIN/python" manage.py runserver "$host:$port" </dev/null &
    pids+=($!)
    ;;
  *)
    echo "usage: $0 run|dev" >&2
    exit 2
    ;;
esac

status=0
wait -n || status=$?
echo "serve.sh: a process stopped (status $status); stopping the others." >&2
stop
exit "$status"
