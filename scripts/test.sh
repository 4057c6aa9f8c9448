#!/usr/bin/env bash
# The whole test command:
#   1. lint: ruff check, ruff format --check, pylint (pylint_odoo, .pylintrc),
#      oca-checks-odoo-module, oca-checks-po
#   2. repository checks: python3 -m pytest -q tests/
#   3. benchmark smoke run: bash scripts/benchmark.sh --scale 0.02 (its own
#      database; output in logs/benchmark-smoke-<pid>.out)
#   4. the module's Odoo test suite (including browser tours) in a fresh
#      database coordination_test_<pid>, dropped at the end, with Odoo's test
#      runner (or with pytest through pytest-odoo: --pytest-odoo)
# The last line printed is "tests: N passed, N failed".
#
# Usage: bash scripts/test.sh [--no-lint] [--no-pytest] [--no-bench] [--no-odoo]
#                             [--lint-only] [--pytest-only] [--bench-only]
#                             [--odoo-only] [--pytest-odoo] [--keep-db]
# Environment: TEST_TAGS       Odoo --test-tags (default /coordination_microlocale)
#              TEST_PATHS      --pytest-odoo: test files or directories
#                              (default coordination_microlocale/tests)
#              TEST_LOG_DIR    where the Odoo log goes (default <repo>/logs)
#              ODOO_TEST_TIMEOUT  seconds before the Odoo run is killed (default 4800)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUN_LINT=1
RUN_PYTEST=1
RUN_BENCH=1
RUN_ODOO=1
PYTEST_ODOO=0
KEEP_DB=0
for arg in "$@"; do
    case "$arg" in
    --no-lint) RUN_LINT=0 ;;
    --no-pytest) RUN_PYTEST=0 ;;
    --no-bench) RUN_BENCH=0 ;;
    --no-odoo) RUN_ODOO=0 ;;
    --lint-only) RUN_PYTEST=0 RUN_BENCH=0 RUN_ODOO=0 ;;
    --pytest-only) RUN_LINT=0 RUN_BENCH=0 RUN_ODOO=0 ;;
    --bench-only) RUN_LINT=0 RUN_PYTEST=0 RUN_ODOO=0 ;;
    --odoo-only) RUN_LINT=0 RUN_PYTEST=0 RUN_BENCH=0 ;;
    --pytest-odoo) PYTEST_ODOO=1 ;;
    --keep-db) KEEP_DB=1 ;;
    -h | --help)
        sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown option: $arg (see --help)" ;;
    esac
done

TEST_TAGS="${TEST_TAGS:-/$MODULE}"
LOG_DIR="${TEST_LOG_DIR:-$REPO_ROOT/logs}"
cd "$REPO_ROOT"

FAILED_STEPS=()
PASSED=0      # tests passed (pytest + Odoo)
FAILED=0      # tests failed or in error (pytest + Odoo), plus one per failed check
step_ok() { printf '    ok: %s\n' "$1"; }
step_failed() {
    printf '    FAILED: %s\n' "$1"
    FAILED_STEPS+=("$1")
}

# ---------------------------------------------------------------- preparation
# The Odoo and the Python of scripts/start.sh (set up by require_odoo when no
# Python imports Odoo 19.0); the tools of requirements-dev.txt go into it.
require_odoo
ensure_python_deps
[ "$RUN_ODOO" -eq 1 ] && ensure_system_deps
[ $((RUN_ODOO || RUN_BENCH)) -eq 1 ] && ensure_postgres

# ---------------------------------------------------------------- 1. lint
run_check() { # run_check NAME CMD... : run a non-test check, record its result
    local name="$1"
    shift
    info "$name"
    if "$@" </dev/null; then
        step_ok "$name"
    else
        step_failed "$name"
        FAILED=$((FAILED + 1))
    fi
}

if [ "$RUN_LINT" -eq 1 ]; then
    run_check "ruff check" "$PYTHON" -m ruff check --no-fix .
    run_check "ruff format --check" "$PYTHON" -m ruff format --check .
    if [ -d "$MODULE" ]; then
        run_check "pylint (pylint_odoo)" "$PYTHON" -m pylint --rcfile=.pylintrc \
            --load-plugins=pylint_odoo "$MODULE"
        run_check "oca-checks-odoo-module" oca-checks-odoo-module "$MODULE"
        mapfile -t PO_FILES < <(find "$MODULE" -path '*/i18n*/*.po' -o -path '*/i18n*/*.pot' | sort)
        if [ "${#PO_FILES[@]}" -gt 0 ]; then
            run_check "oca-checks-po" oca-checks-po --disable=po-pretty-format "${PO_FILES[@]}"
        else
            info "oca-checks-po"
            step_failed "oca-checks-po: no .po file in $MODULE/i18n"
            FAILED=$((FAILED + 1))
        fi
    else
        step_failed "lint: module directory $MODULE is missing"
        FAILED=$((FAILED + 1))
    fi
fi

# ---------------------------------------------------------------- 2. pytest
# "passed failed" counts of a pytest JUnit XML report (skipped tests are neither);
# with CHECK_BROWSER=1, a test skipped for want of a browser counts as failed.
junit_counts() { # junit_counts FILE
    safe_python - "$1" "${CHECK_BROWSER:-0}" <<'EOF' || echo "0 0"
import re
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print("0 0")
    sys.exit(0)
check_browser = sys.argv[2] == "1"
browser = re.compile(r"chrom|websocket|browser|devtools", re.IGNORECASE)
passed = failed = 0
for case in root.iter("testcase"):
    outcome = {child.tag for child in case}
    if outcome & {"failure", "error"}:
        failed += 1
    elif "skipped" in outcome:
        reason = " ".join(c.get("message", "") for c in case if c.tag == "skipped")
        if check_browser and browser.search(reason):
            print(f"browser test skipped: {case.get('name')}: {reason}", file=sys.stderr)
            failed += 1
    else:
        passed += 1
print(passed, failed)
EOF
}

# run_pytest NAME ARGS...: run pytest, add its counts, record the step's result
run_pytest() {
    local name="$1" junit rc p_pass p_fail
    shift
    junit="$(mktemp)"
    set +e
    "$PYTHON" -m pytest -q -rfEs --junitxml="$junit" "$@" </dev/null
    rc=$?
    set -e
    read -r p_pass p_fail < <(junit_counts "$junit")
    rm -f "$junit"
    PASSED=$((PASSED + p_pass))
    FAILED=$((FAILED + p_fail))
    if [ "$rc" -eq 0 ] && [ "$p_fail" -eq 0 ]; then
        step_ok "$name ($p_pass passed)"
    else
        [ "$p_fail" -eq 0 ] && FAILED=$((FAILED + 1)) # e.g. no test collected (exit 5)
        step_failed "$name (exit $rc, $p_fail failed)"
    fi
}

if [ "$RUN_PYTEST" -eq 1 ]; then
    info "pytest: repository checks (tests/)"
    run_pytest pytest tests/
fi

# ---------------------------------------------------------------- 3. benchmark
# The smoke run keeps the benchmark (scripts/benchmark/) working: a tiny data set,
# every scenario of the standard set; any failure fails the test command.
if [ "$RUN_BENCH" -eq 1 ]; then
    mkdir -p "$LOG_DIR"
    BENCH_OUT="$LOG_DIR/benchmark-smoke-$$.out"
    info "benchmark smoke run: bash scripts/benchmark.sh --scale 0.02 (output: $BENCH_OUT)"
    start=$SECONDS
    if BENCH_TIMEOUT="${BENCH_TIMEOUT:-600}" BENCH_LOG_DIR="$LOG_DIR" \
        bash "$REPO_ROOT/scripts/benchmark.sh" --scale 0.02 </dev/null >"$BENCH_OUT" 2>&1; then
        step_ok "benchmark smoke run ($((SECONDS - start)) s)"
    else
        tail -n 40 "$BENCH_OUT"
        step_failed "benchmark smoke run (output: $BENCH_OUT)"
        FAILED=$((FAILED + 1))
    fi
fi

# ---------------------------------------------------------------- 4. Odoo tests
# Decide from the Odoo log whether the run passed. Prints "passed failed" counts
# on stdout and the reasons for failure on stderr; exit status 1 if it failed.
analyse_odoo_log() { # analyse_odoo_log LOGFILE EXIT_CODE DB MODULE
    safe_python - "$@" <<'EOF'
import re
import sys

log_path, exit_code, db, module = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(log_path, encoding="utf-8", errors="replace") as f:
    lines = f.read().splitlines()

# "2025-01-01 12:00:00,123 4242 ERROR dbname odoo.logger: message"
record = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[^:\s]+): (?P<msg>.*)$")
# odoo/service/server.py, after the tests: "%s when loading database %r" with
# OdooTestResult.__str__ = "N failed, N error(s) of N tests"
summary = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database '(.*)'")
# odoo/tests/result.py logError(): "FAIL: <test>" / "ERROR: <test>"; addSkip(): "skipped <test> : <reason>"
test_error = re.compile(r"^(FAIL|ERROR): ")
skipped = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$")
# odoo/tests/common.py (ChromeBrowser / _find_executable): a browser test that
# cannot start Chrome is skipped, not failed.
browser_skip = re.compile(
    r"websocket-client module is not installed"
    r"|Chrome executable not found"
    r"|Chrome headless failed to start"
    r"|Failed to detect chrome devtools port"
    r"|Chrome crashed at startup"
    r"|while trying to connect to Chrome debugger"
    r"|Error during Chrome"
    r"|Cannot connect to chrome dev tools"
    r"|never found 'page' target",
    re.IGNORECASE,
)
browser_word = re.compile(r"chrom|websocket|browser|tour|devtools", re.IGNORECASE)
# odoo/modules/loading.py logs these at WARNING level only: a demo data file that
# fails is rolled back and the module is "installed without demo data".
bad_warning = re.compile(
    r"demo data failed to install"
    rf"|have no access rules in module {re.escape(module)}\b"
    rf"|is imported twice in module {re.escape(module)}\b"
)

problems = []
warnings = []
errors = []
test_failures = []
browser_skips = []
skips = 0
browsers = 0
result = None
for line in lines:
    m = record.match(line)
    if not m:
        continue
    level, msg = m["level"], m["msg"]
    s = summary.search(msg)
    if s and s.group(4) == db:
        result = tuple(int(x) for x in s.groups()[:3])
    if level in ("ERROR", "CRITICAL"):
        errors.append(line)
    elif bad_warning.search(msg):
        warnings.append(line)
    if test_error.match(msg):
        test_failures.append(line)
    k = skipped.match(msg)
    if k:
        skips += 1
        if browser_word.search(k["reason"]) or browser_skip.search(k["reason"]):
            browser_skips.append(line)
    elif browser_skip.search(msg):
        browser_skips.append(line)
    if msg.startswith("Chrome pid:"):
        browsers += 1

if exit_code != 0:
    problems.append(f"Odoo exited with status {exit_code}")
if result is None:
    problems.append(f"no test summary line ('N failed, N error(s) of N tests when loading database {db!r}') in the log")
    failed, erred, run = 0, 0, 0
else:
    failed, erred, run = result
    if run == 0:
        problems.append("no test ran (0 tests): check TEST_TAGS and the module's tests/__init__.py")
if test_failures:
    problems.append(f"{len(test_failures)} FAIL:/ERROR: test line(s)")
if errors:
    problems.append(f"{len(errors)} log line(s) at level ERROR or CRITICAL")
if warnings:
    problems.append(f"{len(warnings)} failing warning(s): demo data or access rules")
if browser_skips:
    problems.append(f"{len(browser_skips)} browser test/tour line(s) show a skipped browser test")

for title, items in (
    ("ERROR/CRITICAL lines", errors),
    ("Failing warnings", warnings),
    ("Skipped browser tests", browser_skips),
):
    if items:
        print(f"--- {title}:", file=sys.stderr)
        for item in items[:50]:
            print("    " + item[:400], file=sys.stderr)
        if len(items) > 50:
            print(f"    ... and {len(items) - 50} more", file=sys.stderr)
print(
    f"Odoo: {run} tests run, {failed} failed, {erred} error(s), {skips} skipped, "
    f"{browsers} browser session(s) started",
    file=sys.stderr,
)
for p in problems:
    print(f"Odoo tests FAILED: {p}", file=sys.stderr)

n_failed = failed + erred
if problems and n_failed == 0:
    n_failed = 1  # the run failed without a counted failing test: count the run itself
print(max(run - failed - erred - skips, 0), n_failed)
sys.exit(1 if problems else 0)
EOF
}

TEST_DB=""
cleanup_db() {
    [ -n "$TEST_DB" ] || return 0
    if [ "$KEEP_DB" -eq 1 ]; then
        info "Keeping test database $TEST_DB (--keep-db)"
        return 0
    fi
    info "Dropping test database $TEST_DB"
    # odoo db drop also removes the filestore; dropdb is the fallback.
    safe_python -m odoo db drop "$TEST_DB" </dev/null >/dev/null 2>&1 ||
        dropdb --if-exists --force "$TEST_DB" </dev/null >/dev/null 2>&1 ||
        warn "could not drop test database $TEST_DB"
    TEST_DB=""
}

# Odoo's runner: install the module in the fresh database with --test-enable, so
# that Odoo runs the at_install and post_install tests of TEST_TAGS, then decide
# from its log (analyse_odoo_log).
run_odoo_runner() {
    local rc counts verdict o_pass o_fail
    local args=(-d "$TEST_DB" --addons-path="$ADDONS_PATH"
        -i "$MODULE" --with-demo --load-language=fr_FR
        --test-enable --test-tags "$TEST_TAGS" --stop-after-init
        --http-interface=127.0.0.1 --http-port "$HTTP_PORT" --max-cron-threads=0)
    info "Odoo tests of $MODULE in fresh database $TEST_DB (tags $TEST_TAGS, port $HTTP_PORT)"
    info "Log: $LOG"
    info "Command: $PYTHON -m odoo ${args[*]}"
    set +e
    # from / and with PYTHONSAFEPATH, as safe_python does (see common.sh)
    (cd / && PYTHONSAFEPATH=1 exec timeout --foreground -k 60 "$TIMEOUT" \
        "$PYTHON" -m odoo "${args[@]}") </dev/null 2>&1 | tee "$LOG"
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" -eq 124 ] && warn "the Odoo test run was killed after ${TIMEOUT}s (ODOO_TEST_TIMEOUT)"
    info "Odoo test log analysis ($LOG)"
    set +e
    counts="$(analyse_odoo_log "$LOG" "$rc" "$TEST_DB" "$MODULE")"
    verdict=$?
    set -e
    read -r o_pass o_fail <<<"${counts:-0 1}"
    PASSED=$((PASSED + o_pass))
    FAILED=$((FAILED + o_fail))
    if [ "$verdict" -eq 0 ]; then
        step_ok "Odoo tests ($o_pass passed)"
    else
        step_failed "Odoo tests ($o_fail failed, log: $LOG)"
    fi
}

# pytest through pytest-odoo: install the module (demo data, French) without
# tests, then run the test files of TEST_PATHS with pytest on that database,
# HttpCase and browser tours included (--odoo-http). Odoo's test tags do not
# apply: pytest runs every test class of the files it collects.
run_pytest_odoo() {
    local rc paths
    read -ra paths <<<"${TEST_PATHS:-$MODULE/tests}"
    info "pytest-odoo: installing $MODULE in fresh database $TEST_DB (log: $LOG)"
    set +e
    (cd / && PYTHONSAFEPATH=1 exec timeout --foreground -k 60 "$TIMEOUT" \
        "$PYTHON" -m odoo -d "$TEST_DB" --addons-path="$ADDONS_PATH" -i "$MODULE" \
        --with-demo --load-language=fr_FR --stop-after-init --no-http \
        --max-cron-threads=0 --log-level=warn) </dev/null >"$LOG" 2>&1
    rc=$?
    set -e
    if [ "$rc" -ne 0 ] || grep -q " \(ERROR\|CRITICAL\) " "$LOG"; then
        grep -A5 " \(ERROR\|CRITICAL\) " "$LOG" | tail -n 30
        step_failed "pytest-odoo: installing $MODULE (exit $rc, log: $LOG)"
        FAILED=$((FAILED + 1))
        return 0
    fi
    info "pytest-odoo: ${paths[*]}"
    CHECK_BROWSER=1 run_pytest "pytest-odoo" -p odoo --odoo-database="$TEST_DB" \
        --odoo-addons-path="$ADDONS_PATH" --odoo-http --disable-warnings "${paths[@]}"
}

if [ "$RUN_ODOO" -eq 1 ]; then
    TEST_DB="coordination_test_$$"
    trap cleanup_db EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    db_exists "$TEST_DB" && dropdb --force "$TEST_DB"
    mkdir -p "$LOG_DIR"
    LOG="$LOG_DIR/odoo-tests-$TEST_DB.log"
    ADDONS_PATH="$(odoo_addons_path)"
    HTTP_PORT="$(free_port 8169)" || die "no free TCP port found from 8169"
    TIMEOUT="${ODOO_TEST_TIMEOUT:-4800}"
    if [ "$PYTEST_ODOO" -eq 1 ]; then
        run_pytest_odoo
    else
        run_odoo_runner
    fi
    cleanup_db
fi

# ---------------------------------------------------------------- summary
echo
if [ "${#FAILED_STEPS[@]}" -gt 0 ]; then
    echo "FAILED steps:"
    printf '  - %s\n' "${FAILED_STEPS[@]}"
    status=1
else
    echo "All steps passed."
    status=0
fi
echo "tests: $PASSED passed, $FAILED failed"
exit "$status"
