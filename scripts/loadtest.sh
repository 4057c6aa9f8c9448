#!/usr/bin/env bash
# Load test of a multi-worker Odoo server on a benchmark database:
#   1. prepare (python3 -m loadtest prepare): the users driven get a known
#      password, two factors and the trail's window are set for the run, the
#      module's daily crons are pushed back so that they run during the load
#   2. Odoo serves the database on 127.0.0.1 with --workers N (prefork) and
#      --max-cron-threads 1 (its cron worker)
#   3. virtual users (threads, one HTTP session each) make the web client's
#      JSON-RPC calls for --duration seconds; the daily crons are made due as
#      the load starts; then the server is stopped (also on failure or Ctrl-C)
#   4. the report: requests per second, p50/p95/p99 per kind of call, errors,
#      concurrency errors retried by Odoo, the crons, and post-checks on the
#      database (saves kept, reads traced, no record processed twice by a cron)
# The report is written to logs/loadtest-<date>.txt; exit status 1 when a call
# failed or a post-check did not pass. The settings changed by step 1 are put
# back at the end; the passwords set stay (the database is a benchmark's).
#
# Usage: bash scripts/loadtest.sh --db DB [--users 12] [--duration 120] [--workers 2]
#   DB: a database built and kept by: bash scripts/benchmark.sh --scale 0.3 --keep-db
# Environment: LOADTEST_LOG_DIR  where the report and the Odoo log go (default <repo>/logs)
#              LOADTEST_PORT     first HTTP port tried (default 8400)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB=""
USERS=12
DURATION=120
WORKERS=2
while [ $# -gt 0 ]; do
    case "$1" in
    --db | --users | --duration | --workers)
        [ $# -ge 2 ] || die "$1 needs a value (see --help)"
        case "$1" in
        --db) DB="$2" ;;
        --users) USERS="$2" ;;
        --duration) DURATION="$2" ;;
        --workers) WORKERS="$2" ;;
        esac
        shift 2
        ;;
    -h | --help)
        sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown option: $1 (see --help)" ;;
    esac
done
[ -n "$DB" ] || die "--db is required: a database kept by 'bash scripts/benchmark.sh --scale 0.3 --keep-db'"

LOG_DIR="${LOADTEST_LOG_DIR:-$REPO_ROOT/logs}"
STAMP="$(date +%Y%m%d-%H%M%S)"
RESULT="$LOG_DIR/loadtest-$STAMP.txt"
ODOO_LOG="$LOG_DIR/loadtest-$STAMP-odoo.log"
WORK="$(mktemp -d)"
STATE="$WORK/state.json"
RESULTS="$WORK/results.json"

# The package scripts/loadtest/, run from / (as safe_python does, see common.sh)
load_python() {
    (cd / && PYTHONSAFEPATH=1 PYTHONPATH="$REPO_ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" \
        exec "$PYTHON" -m loadtest "$@") </dev/null
}
COMMON=(--db "$DB" --users "$USERS" --duration "$DURATION" --workers "$WORKERS")

# ---------------------------------------------------------------- preparation
require_odoo
load_python check-args "${COMMON[@]}" || die "invalid arguments (see above)"
ensure_postgres
db_exists "$DB" || die "no database $DB: build one with bash scripts/benchmark.sh --scale 0.3 --keep-db"
mkdir -p "$LOG_DIR"
ADDONS_PATH="$(odoo_addons_path)"
PORT="$(free_port "${LOADTEST_PORT:-8400}")" || die "no free TCP port from ${LOADTEST_PORT:-8400}"
URL="http://127.0.0.1:$PORT"
# odoo-bin, not "python3 -m odoo": the prefork server starts its gevent process
# again from sys.argv, which "-m odoo" leaves unusable (relative import error).
ODOO_BIN="$(safe_python -c 'import os, odoo; print(os.path.join(os.path.dirname(os.path.realpath(list(odoo.__path__)[0])), "odoo-bin"))')"
[ -f "$ODOO_BIN" ] || die "no odoo-bin next to the odoo package ($ODOO_BIN): the prefork server needs it"

SERVER_PID=""
PREPARED=0
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        info "Stopping the Odoo server (pid $SERVER_PID)"
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
    if [ "$PREPARED" -eq 1 ]; then
        load_python restore --db "$DB" --state "$STATE" || warn "could not restore the settings of $DB"
        PREPARED=0
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

info "Preparing $DB for $USERS virtual users (Odoo log: $ODOO_LOG)"
PREPARED=1
load_python prepare "${COMMON[@]}" --addons-path "$ADDONS_PATH" --state "$STATE" \
    --odoo-log "$ODOO_LOG" || die "preparing $DB failed (log: $ODOO_LOG)"

# ---------------------------------------------------------------- 2. server
info "Starting Odoo on $URL: --workers $WORKERS --max-cron-threads 1"
(cd / && PYTHONSAFEPATH=1 exec "$PYTHON" "$ODOO_BIN" -d "$DB" --db-filter="^$DB\$" \
    --addons-path="$ADDONS_PATH" --http-interface=127.0.0.1 --http-port="$PORT" \
    --workers="$WORKERS" --max-cron-threads=1 --logfile="$ODOO_LOG") </dev/null &
SERVER_PID=$!
for _ in $(seq 1 120); do
    kill -0 "$SERVER_PID" 2>/dev/null || die "the Odoo server stopped (log: $ODOO_LOG)"
    curl -fs -o /dev/null "$URL/web/login" && break
    sleep 1
done
curl -fs -o /dev/null "$URL/web/login" || die "$URL/web/login does not answer after 120 s"

# ---------------------------------------------------------------- 3. load
info "Load: $USERS virtual users for $DURATION s"
load_python run "${COMMON[@]}" --url "$URL" --state "$STATE" --results "$RESULTS" ||
    die "the load client failed"
kill -TERM "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# ---------------------------------------------------------------- 4. report
set +e
load_python report "${COMMON[@]}" --url "$URL" --state "$STATE" --results "$RESULTS" \
    --odoo-log "$ODOO_LOG" --output "$RESULT"
rc=$?
set -e
[ "$rc" -eq 0 ] || warn "some calls failed or some post-checks did not pass (see $RESULT)"
exit "$rc"
