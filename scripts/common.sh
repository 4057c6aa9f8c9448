# shellcheck shell=bash
# Shared helpers for scripts/start.sh and scripts/test.sh. Source it, do not run it.
#
# Provides: REPO_ROOT, MODULE, PYTHON, info/warn/die, require_odoo (which sets up
# Odoo 19.0 when no Python imports it), safe_python, ensure_python_deps,
# ensure_system_deps, ensure_postgres, odoo_addons_path, db_exists, free_port.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
MODULE="coordination_microlocale"
PYTHON="${COORD_PYTHON:-python3}"  # the Python that imports Odoo 19.0 (see require_odoo)
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

# ---------------------------------------------------------------- Odoo 19.0
# The Python that runs Odoo: COORD_PYTHON, else python3 when it imports Odoo 19.0,
# else the official Odoo 19.0 Community edition that require_odoo sets up itself
# in ODOO_HOME: a shallow clone of the 19.0 branch (src/) and a virtual
# environment with its Python requirements (venv/). The source can be a mirror
# or a local clone: COORD_ODOO_GIT_URL (a URL or a path), COORD_ODOO_BRANCH.
ODOO_SERIES="19.0"
ODOO_GIT_URL="${COORD_ODOO_GIT_URL:-https://github.com/odoo/odoo}"
ODOO_BRANCH="${COORD_ODOO_BRANCH:-$ODOO_SERIES}"
ODOO_HOME="${XDG_CACHE_HOME:-$HOME/.cache}/$MODULE/odoo-${ODOO_BRANCH//\//_}"
# Debian packages to build Odoo's requirements (psycopg2, python-ldap) in a venv
ODOO_BUILD_DEBS=(git python3-venv python3-dev build-essential libpq-dev libldap2-dev libsasl2-dev)

# The Odoo series that a Python imports ("19.0"), or nothing.
odoo_series() { # odoo_series PYTHON
    (cd / && PYTHONSAFEPATH=1 "$1" -c 'import odoo.release as r; print(r.series)') 2>/dev/null || true
}

# What git clone is given: a local directory becomes a file:// URL, so that
# --depth applies (git ignores it for plain paths); URLs are kept as they are.
odoo_clone_url() { # odoo_clone_url URL_OR_PATH
    case "$1" in
    *://* | *@*:*) printf '%s\n' "$1" ;;
    *)
        [ -d "$1" ] || die "COORD_ODOO_GIT_URL: '$1' is neither a URL nor a directory"
        printf 'file://%s\n' "$(cd "$1" && pwd)"
        ;;
    esac
}

# What to do when the source or the requirements cannot be downloaded.
odoo_offline_help() { # odoo_offline_help WHAT
    cat <<EOF
ERROR: could not $1.
Odoo $ODOO_SERIES Community is needed, and no Python here imports it. Either:
  - give this machine access to $ODOO_GIT_URL (git) and to PyPI (pip), then run
    the command again: it resumes where it stopped;
  - or point the set-up at a copy you can reach, a mirror or a local clone of
    the odoo repository with its branch $ODOO_BRANCH, and at a PyPI mirror:
        COORD_ODOO_GIT_URL=/path/to/odoo PIP_INDEX_URL=https://pypi.example/simple \\
            bash scripts/start.sh
  - or install Odoo $ODOO_SERIES yourself into a Python and name it:
        git clone --depth 1 --branch $ODOO_SERIES https://github.com/odoo/odoo
        pip install -r odoo/requirements.txt && pip install -e ./odoo
        COORD_PYTHON=/path/to/that/python bash scripts/start.sh
It is set up in $ODOO_HOME (delete it to start again).
EOF
}

require_odoo() {
    local found
    found="$(odoo_series "$PYTHON")"
    [ "$found" = "$ODOO_SERIES" ] && return 0
    if [ -n "${COORD_PYTHON:-}" ]; then
        die "COORD_PYTHON=$COORD_PYTHON does not import Odoo $ODOO_SERIES${found:+ (it imports Odoo $found)}; unset COORD_PYTHON to let the scripts set up Odoo $ODOO_SERIES in $ODOO_HOME"
    fi
    [ -n "$found" ] && warn "$PYTHON imports Odoo $found, not $ODOO_SERIES: using Odoo $ODOO_SERIES of $ODOO_HOME"
    PYTHON="$ODOO_HOME/venv/bin/python"
    if [ "$(odoo_series "$PYTHON")" != "$ODOO_SERIES" ]; then
        setup_odoo
    fi
    # the venv's console scripts (oca-checks-*) come first
    PATH="$ODOO_HOME/venv/bin:$PATH"
    info "Odoo $ODOO_SERIES: $PYTHON (source $ODOO_HOME/src)"
}

# Set up Odoo in ODOO_HOME (one set-up at a time: a lock file next to it).
setup_odoo() {
    local missing=() pkg
    for pkg in "${ODOO_BUILD_DEBS[@]}"; do
        command -v dpkg-query >/dev/null 2>&1 || break
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ] && ! apt_install "${missing[@]}"; then
        warn "missing Debian packages ${missing[*]} (not root): building Odoo's requirements may fail; as root: apt-get install -y ${missing[*]}"
    fi
    command -v git >/dev/null 2>&1 || die "git is needed to fetch Odoo $ODOO_SERIES (apt-get install git)"
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null ||
        die "Odoo $ODOO_SERIES needs Python 3.10 or later as python3"
    mkdir -p "$ODOO_HOME"
    (
        flock 9
        # another command may have finished the set-up while this one waited
        [ "$(odoo_series "$PYTHON")" = "$ODOO_SERIES" ] && exit 0
        fetch_odoo_source
        install_odoo_venv
    ) 9>"$ODOO_HOME.lock" || exit $?
}

fetch_odoo_source() {
    local src="$ODOO_HOME/src" partial="$ODOO_HOME/src.partial" url
    [ -f "$src/odoo-bin" ] && return 0
    url="$(odoo_clone_url "$ODOO_GIT_URL")"
    info "Fetching Odoo $ODOO_BRANCH: shallow clone of $ODOO_GIT_URL into $src"
    rm -rf "$partial"
    # no credential prompt; give up when the transfer stays under 1 kB/s for 60 s
    if ! GIT_TERMINAL_PROMPT=0 git -c http.lowSpeedLimit=1000 -c http.lowSpeedTime=60 \
        clone --quiet --depth 1 --single-branch --branch "$ODOO_BRANCH" "$url" "$partial" </dev/null; then
        rm -rf "$partial"
        odoo_offline_help "fetch the branch $ODOO_BRANCH of $ODOO_GIT_URL" >&2
        exit 2
    fi
    if [ ! -f "$partial/odoo-bin" ] || [ ! -f "$partial/requirements.txt" ]; then
        rm -rf "$partial"
        die "$ODOO_GIT_URL (branch $ODOO_BRANCH) is not an Odoo source tree: no odoo-bin or requirements.txt"
    fi
    mv "$partial" "$src"
}

# A virtual environment of its own (no system site-packages) with the versions
# that Odoo pins in src/requirements.txt, Odoo itself put on its path from src/
# by a .pth file: "pip install -e src" would also install the unpinned
# dependencies of Odoo's setup.py, whose latest versions replace pinned ones
# (lxml_html_clean pulls lxml 6 over 4.9.3, and Odoo's HTML changes).
install_odoo_venv() {
    local venv="$ODOO_HOME/venv" pip
    info "Creating the virtual environment $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
    # Some of the versions Odoo pins are built from source by a setup.py that
    # imports pkg_resources, which setuptools 81 removed: pip builds them with an
    # older setuptools (PIP_CONSTRAINT also applies to pip's build environments).
    printf '%s\n' "# build dependency of Odoo's requirements (see install_odoo_venv)" \
        "setuptools<81" >"$ODOO_HOME/build-constraints.txt"
    pip=(env "PIP_CONSTRAINT=${PIP_CONSTRAINT:+$PIP_CONSTRAINT }$ODOO_HOME/build-constraints.txt"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
    info "Installing Odoo's Python requirements (src/requirements.txt), a few minutes"
    # wheel first: without it an older pip builds the sdists the legacy way
    if ! "${pip[@]}" wheel </dev/null ||
        ! "${pip[@]}" -r "$ODOO_HOME/src/requirements.txt" </dev/null; then
        odoo_offline_help "install Odoo's Python requirements into $venv (see pip's message above)" >&2
        exit 2
    fi
    "$venv/bin/python" - "$ODOO_HOME/src" <<'EOF' || die "could not put $ODOO_HOME/src on the path of $venv"
import pathlib
import sys
import sysconfig

site = pathlib.Path(sysconfig.get_paths()["purelib"])
(site / "coordination-odoo-src.pth").write_text(sys.argv[1] + "\n", encoding="utf-8")
EOF
    [ "$(odoo_series "$venv/bin/python")" = "$ODOO_SERIES" ] ||
        die "$venv does not import Odoo $ODOO_SERIES after its installation (is branch $ODOO_BRANCH Odoo $ODOO_SERIES?)"
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
