#!/usr/bin/env bash
# Performance benchmark of the module at realistic volumes:
#   1. a fresh database coordination_bench_<pid> with the module installed
#      without demo data
#   2. the package scripts/benchmark/ builds an intercommunal dataset (12
#      territories, 8000 requests, 3000 individual projects, 5000 sessions... at
#      scale 1) and prints, per role, median wall times, SQL query counts, the
#      cost of the access trail, the evaluation report, the daily crons and ratios
#   3. the database is dropped (also on failure or Ctrl-C)
# The results are also written to logs/benchmark-<date>.txt.
#
# Usage: bash scripts/benchmark.sh [--scale N | --growth A,B] [--keep-db]
#                                  [--import [--fraction F] | --register | --crons]
#   --scale N   volume factor (default 1; 0.1 for a quick check, 0.02 is the
#               smoke run of scripts/test.sh; 25 is ten years of a department,
#               built in under 15 minutes)
#   --growth A,B  the standard set at scale A then at scale B (one database
#               each), then the growth table: each figure at both scales, its
#               ratio and its target (logs/benchmark-growth-<date>.txt)
#   --keep-db   keep the database for inspection
#   --import    the import set instead: national RPPS file import, territory
#               import and its no-change run, ICS feed
#   --fraction F  share of the 2.2 million-line RPPS file (default 1)
#   --register  the register set instead: import of a 5,000-line register, a call
#               campaign over it among 20 agents, an agent's call list
#   --crons     the crons set instead: backlogs of 10,000 files (times --scale)
#               worked off by the anonymisation, consent expiry and reminders
#               crons through ir.cron, committing (target: under 5 min each)
# Environment: BENCH_TIMEOUT  seconds before the benchmark is killed (default 3600)
#              BENCH_LOG_DIR  where the results and the Odoo log go (default <repo>/logs)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SCALE=1
GROWTH=""
JSON=""
KEEP_DB=0
IMPORT=0
REGISTER=0
CRONS=0
FRACTION=1
while [ $# -gt 0 ]; do
    case "$1" in
    --import)
        IMPORT=1
        shift
        ;;
    --register)
        REGISTER=1
        shift
        ;;
    --crons)
        CRONS=1
        shift
        ;;
    --fraction)
        [ $# -ge 2 ] || die "--fraction needs a value, e.g. --fraction 0.25"
        FRACTION="$2"
        shift 2
        ;;
    --scale)
        [ $# -ge 2 ] || die "--scale needs a value, e.g. --scale 0.1"
        SCALE="$2"
        shift 2
        ;;
    --scale=*)
        SCALE="${1#--scale=}"
        shift
        ;;
    --growth)
        [ $# -ge 2 ] || die "--growth needs two scales, e.g. --growth 1,25"
        GROWTH="$2"
        shift 2
        ;;
    --keep-db)
        KEEP_DB=1
        shift
        ;;
    --json)  # used by --growth: the figures as JSON too
        [ $# -ge 2 ] || die "--json needs a file"
        JSON="$2"
        shift 2
        ;;
    -h | --help)
        sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown option: $1 (see --help)" ;;
    esac
done
BENCH_ARGS=(--scale "$SCALE")
[ -n "$JSON" ] && BENCH_ARGS+=(--json "$JSON")
[ "$IMPORT" -eq 1 ] && BENCH_ARGS=(--import --fraction "$FRACTION")
[ "$REGISTER" -eq 1 ] && BENCH_ARGS=(--register)
[ "$CRONS" -eq 1 ] && BENCH_ARGS=(--crons --scale "$SCALE")

LOG_DIR="${BENCH_LOG_DIR:-$REPO_ROOT/logs}"
BENCH_DB="coordination_bench_$$"
STAMP="$(date +%Y%m%d-%H%M%S)"
RESULT="$LOG_DIR/benchmark-$STAMP.txt"
ODOO_LOG="$LOG_DIR/benchmark-$STAMP-odoo.log"
TIMEOUT="${BENCH_TIMEOUT:-3600}"

# A module of the package scripts/benchmark/, run from / (as safe_python does,
# see common.sh)
bench_python_module() {
    (cd / && PYTHONSAFEPATH=1 PYTHONPATH="$REPO_ROOT/scripts${PYTHONPATH:+:$PYTHONPATH}" exec timeout --foreground -k 30 \
        "$TIMEOUT" "$PYTHON" -m "$@") </dev/null
}
bench_python() {
    bench_python_module benchmark "$@"
}

# ---------------------------------------------------------------- preparation
require_odoo

# --growth A,B: this script at each scale, then the comparison of their figures
if [ -n "$GROWTH" ]; then
    IFS=, read -r SMALL LARGE <<<"$GROWTH"
    [ -n "$SMALL" ] && [ -n "$LARGE" ] || die "--growth needs two scales, e.g. --growth 1,25"
    for S in "$SMALL" "$LARGE"; do
        bench_python --db - --addons-path - --scale "$S" --check-args ||
            die "invalid scale $S (see above)"
    done
    mkdir -p "$LOG_DIR"
    OWN=()
    [ "$KEEP_DB" -eq 1 ] && OWN=(--keep-db)
    for S in "$SMALL" "$LARGE"; do
        bash "${BASH_SOURCE[0]}" --scale "$S" --json "$LOG_DIR/benchmark-$STAMP-scale$S.json" "${OWN[@]}" ||
            die "the benchmark at scale $S failed"
    done
    GROWTH_RESULT="$LOG_DIR/benchmark-growth-$STAMP.txt"
    bench_python_module benchmark.growth "$LOG_DIR/benchmark-$STAMP-scale$SMALL.json" \
        "$LOG_DIR/benchmark-$STAMP-scale$LARGE.json" --output "$GROWTH_RESULT" ||
        warn "some targets were missed (see above)"
    info "Growth table: $GROWTH_RESULT"
    exit 0
fi
# the arguments are checked (by the package) before anything is installed
bench_python --db "$BENCH_DB" --addons-path - "${BENCH_ARGS[@]}" --check-args ||
    die "invalid arguments (see above)"
ensure_postgres
mkdir -p "$LOG_DIR"
ADDONS_PATH="$(odoo_addons_path)"

DB_CREATED=0
cleanup_db() {
    [ "$DB_CREATED" -eq 1 ] || return 0
    if [ "$KEEP_DB" -eq 1 ]; then
        info "Keeping database $BENCH_DB (--keep-db); drop it with: dropdb --force $BENCH_DB"
        DB_CREATED=0
        return 0
    fi
    info "Dropping database $BENCH_DB"
    # odoo db drop also removes the filestore; dropdb is the fallback.
    safe_python -m odoo db drop "$BENCH_DB" </dev/null >/dev/null 2>&1 ||
        dropdb --if-exists --force "$BENCH_DB" </dev/null >/dev/null 2>&1 ||
        warn "could not drop database $BENCH_DB"
    DB_CREATED=0
}
trap cleanup_db EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db_exists "$BENCH_DB" && die "database $BENCH_DB already exists"

# ---------------------------------------------------------------- 1. database
info "Installing $MODULE without demo data in fresh database $BENCH_DB"
info "Odoo log: $ODOO_LOG"
DB_CREATED=1
start=$SECONDS
set +e
# from / and with PYTHONSAFEPATH, as safe_python does (see common.sh)
(cd / && PYTHONSAFEPATH=1 exec timeout --foreground -k 30 "$TIMEOUT" "$PYTHON" -m odoo \
    -d "$BENCH_DB" --addons-path="$ADDONS_PATH" -i "$MODULE" --stop-after-init \
    --no-http --max-cron-threads=0 --log-level=warn --logfile="$ODOO_LOG") </dev/null
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    tail -n 30 "$ODOO_LOG" >&2 || true
    die "installing $MODULE in $BENCH_DB failed (exit $rc; log: $ODOO_LOG)"
fi
info "Installed in $((SECONDS - start)) s"

# ---------------------------------------------------------------- 2. benchmark
[ "$IMPORT" -eq 1 ] && RESULT="$LOG_DIR/benchmark-import-$STAMP.txt"
[ "$REGISTER" -eq 1 ] && RESULT="$LOG_DIR/benchmark-register-$STAMP.txt"
[ "$CRONS" -eq 1 ] && RESULT="$LOG_DIR/benchmark-crons-$STAMP.txt"
if [ "$CRONS" -eq 1 ]; then
    info "Crons backlog benchmark at scale $SCALE (results: $RESULT)"
elif [ "$REGISTER" -eq 1 ]; then
    info "Register of vulnerable people benchmark (results: $RESULT)"
elif [ "$IMPORT" -eq 1 ]; then
    info "Import and feed benchmark, fraction $FRACTION (results: $RESULT)"
else
    info "Benchmark at scale $SCALE (results: $RESULT)"
fi
set +e
bench_python --db "$BENCH_DB" --addons-path "$ADDONS_PATH" "${BENCH_ARGS[@]}" \
    --output "$RESULT" --odoo-log "$ODOO_LOG"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 124 ] && warn "the benchmark was killed after ${TIMEOUT}s (BENCH_TIMEOUT)"
    if [ -s "$ODOO_LOG" ] && grep -q "ERROR\|CRITICAL" "$ODOO_LOG"; then
        echo "--- last errors of the Odoo log ($ODOO_LOG):" >&2
        grep -A5 "ERROR\|CRITICAL" "$ODOO_LOG" | tail -n 30 >&2 || true
    fi
    die "the benchmark failed (exit $rc; Odoo log: $ODOO_LOG)"
fi

# ---------------------------------------------------------------- 3. cleanup
cleanup_db
info "Benchmark done: $RESULT"
