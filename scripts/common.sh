# shellcheck shell=bash
# Shared helpers for scripts/start.sh and scripts/test.sh. Source it, do not run it.
#
# Provides: REPO_ROOT, MODULE, PYTHON, info/warn/die, require_odoo, safe_python,
# ensure_python_deps, ensure_system_deps, ensure_postgres, odoo_addons_path,
# db_exists, free_port.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
MODULE="coordination_microlocale"
PYTHON="${COORD_PYTHON:-python3}"  # the Python that imports Odoo 19.0
export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 DEBIAN_FRONTEND=noninteractive

info() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Run a command as root: directly when we are root, else through non-interactive sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

can_be_root() {
    [ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

# Run a command as the 'postgres' OS user.
as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n -u postgres "$@"
    else
        return 1
    fi
}

apt_install() {
    can_be_root || return 1
    info "Installing Debian packages: $*"
    as_root apt-get update -qq </dev/null
    as_root apt-get install -y -qq "$@" </dev/null
}

# Run python3 from / and without the current directory on sys.path, so that no
# directory in the caller's cwd (e.g. a module named like a stdlib one) can
# shadow a Python module. Usage: safe_python -m odoo ...
safe_python() {
    (cd / && PYTHONSAFEPATH=1 exec "$PYTHON" "$@")
}

# Odoo 19.0 must be importable by python3; we never install it ourselves.
require_odoo() {
    if ! safe_python -c 'import odoo.release as r; assert r.series == "19.0", r.series' >/dev/null 2>&1; then
        local found
        found="$(safe_python -c 'import odoo.release as r; print(r.series)' 2>/dev/null || true)"
        {
            echo "ERROR: Odoo 19.0 is not importable by '$PYTHON'."
            if [ -n "$found" ]; then
                echo "       'import odoo' works but it is Odoo $found, not 19.0."
            else
                echo "       'import odoo.release' failed: the odoo package is missing from this Python."
            fi
            echo "Install the official Odoo 19.0 Community edition, for example:"
            echo "    git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo"
            echo "    pip install -r odoo/requirements.txt"
            echo "    pip install -e ./odoo"
            echo "(PostgreSQL 15 is needed too; the scripts handle the rest.)"
        } >&2
        exit 2
    fi
}

# Install the pinned development tools (lint, pytest, websocket-client) unless
# exactly those versions are already installed.
ensure_python_deps() {
    local req="$REPO_ROOT/requirements-dev.txt"
    if safe_python - "$req" <<'EOF'; then
import re
import sys
from importlib import metadata

missing = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*==\s*([^\s;]+)", line)
    if not m:
        missing.append(line)
        continue
    try:
        if metadata.version(m.group(1)) != m.group(2):
            missing.append(line)
    except metadata.PackageNotFoundError:
        missing.append(line)
sys.exit(1 if missing else 0)
EOF
        return 0
    fi
    info "Installing development requirements (requirements-dev.txt)"
    local args=(-m pip install --quiet --disable-pip-version-check -r "$req")
    if [ "$(id -u)" -eq 0 ]; then
        args+=(--root-user-action=ignore)
    fi
    safe_python "${args[@]}" </dev/null || die "pip install -r requirements-dev.txt failed for $PYTHON"
}

find_chrome() {
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        if command -v "$bin" >/dev/null 2>&1; then
            command -v "$bin"
            return 0
        fi
    done
    return 1
}

# Chromium (browser tours) and wkhtmltopdf (PDF reports), from Debian packages.
ensure_system_deps() {
    local pkgs=()
    find_chrome >/dev/null || pkgs+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || pkgs+=(wkhtmltopdf)
    [ "${#pkgs[@]}" -eq 0 ] && return 0
    if ! apt_install "${pkgs[@]}"; then
        die "missing ${pkgs[*]} and cannot install it (not root): run 'apt-get install -y ${pkgs[*]}' as root"
    fi
    find_chrome >/dev/null || die "Chromium is still not on PATH after installing it"
}

# PostgreSQL server running, and a superuser role named after the current OS user
# (Odoo refuses to run as the 'postgres' role).
ensure_postgres() {
    local me
    me="$(id -un)"
    [ "$me" = postgres ] && die "do not run this as the 'postgres' OS user: Odoo refuses the postgres role"
    if ! command -v pg_isready >/dev/null 2>&1 && ! command -v pg_lsclusters >/dev/null 2>&1; then
        apt_install postgresql || die "PostgreSQL is not installed; install PostgreSQL 15 (apt-get install postgresql)"
    fi
    if ! pg_isready -q 2>/dev/null; then
        info "Starting PostgreSQL"
        if command -v pg_lsclusters >/dev/null 2>&1; then
            local ver name status
            while read -r ver name _ status _; do
                [ "$status" = online ] && continue
                as_root pg_ctlcluster "$ver" "$name" start ||
                    as_postgres pg_ctlcluster "$ver" "$name" start ||
                    warn "could not start PostgreSQL cluster $ver/$name"
            done < <(pg_lsclusters --no-header 2>/dev/null)
        else
            as_root service postgresql start || true
        fi
        for _ in $(seq 1 30); do
            pg_isready -q 2>/dev/null && break
            sleep 1
        done
        pg_isready -q 2>/dev/null || die "PostgreSQL is not accepting connections (try: pg_ctlcluster 15 main start)"
    fi
    # Role named after the OS user, as superuser (Odoo creates and drops databases).
    if psql -d postgres -XtAc 'SELECT 1' >/dev/null 2>&1 &&
        [ "$(psql -d postgres -XtAc "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" = t ]; then
        return 0
    fi
    info "Creating PostgreSQL superuser role '$me'"
    if ! as_postgres psql -d postgres -XtAc "SELECT 1 FROM pg_roles WHERE rolname = '$me'" 2>/dev/null | grep -q 1; then
        as_postgres createuser -s "$me" ||
            die "could not create PostgreSQL role '$me'; as the postgres user run: createuser -s $me"
    else
        as_postgres psql -d postgres -Xqc "ALTER ROLE \"$me\" SUPERUSER" ||
            die "could not make PostgreSQL role '$me' a superuser"
    fi
    psql -d postgres -XtAc 'SELECT 1' >/dev/null 2>&1 ||
        die "cannot connect to PostgreSQL as role '$me' (check pg_hba.conf: local peer authentication)"
}

# Comma-joined addons path: the addons directories of the importable Odoo,
# then this repository's root (which holds the $MODULE directory).
odoo_addons_path() {
    local odoo_dirs
    odoo_dirs="$(safe_python - <<'EOF'
import os

import odoo
import odoo.addons

dirs = []
candidates = list(odoo.addons.__path__)
candidates += [os.path.join(p, os.pardir, "addons") for p in odoo.__path__]
for path in candidates:
    path = os.path.realpath(path)
    if os.path.isdir(path) and path not in dirs:
        dirs.append(path)
print(",".join(dirs))
EOF
    )" || die "could not determine Odoo's addons directories"
    [ -n "$odoo_dirs" ] || die "could not determine Odoo's addons directories"
    printf '%s,%s\n' "$odoo_dirs" "$REPO_ROOT"
}

db_exists() {
    [ "$(psql -d postgres -XtAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

# First free TCP port on 127.0.0.1 starting at $1.
free_port() {
    safe_python - "${1:-8169}" <<'EOF'
import socket
import sys

port = int(sys.argv[1])
for candidate in range(port, port + 200):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(candidate)
        sys.exit(0)
sys.exit(1)
EOF
}
