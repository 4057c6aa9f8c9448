#!/usr/bin/env bash
# Main job: a French demo database with coordination_microlocale, served on
# http://localhost:8069.
#
#   bash scripts/start.sh [extra odoo server options...]
#
# Environment: COORD_DB (database name, default coordination_demo),
#              COORD_HTTP_PORT (default 8069),
#              COORD_HTTP_INTERFACE (default 127.0.0.1; 0.0.0.0 to serve the network),
#              COORD_PYTHON (a Python that imports Odoo 19.0, default python3),
#              COORD_ODOO_GIT_URL, COORD_ODOO_BRANCH (where to fetch Odoo 19.0 from).
# When no Python imports Odoo 19.0, the official Community edition is set up
# first in ~/.cache/coordination_microlocale/ (see require_odoo in common.sh).
# A new database is created with demo data and French loaded; an existing one
# gets the module updated. Extra arguments go to the final Odoo server command.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
-h | --help)
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

DB="${COORD_DB:-coordination_demo}"
PORT="${COORD_HTTP_PORT:-8069}"
INTERFACE="${COORD_HTTP_INTERFACE:-127.0.0.1}"
[[ "$DB" =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid database name: $DB"

require_odoo
ensure_python_deps
command -v wkhtmltopdf >/dev/null 2>&1 || apt_install wkhtmltopdf ||
    warn "wkhtmltopdf is missing: PDF reports will not print (apt-get install -y wkhtmltopdf)"
ensure_postgres
[ -f "$REPO_ROOT/$MODULE/__manifest__.py" ] || die "module directory $REPO_ROOT/$MODULE is missing"

ADDONS_PATH="$(odoo_addons_path)"
ODOO=(safe_python -m odoo -d "$DB" --addons-path="$ADDONS_PATH" --http-interface="$INTERFACE")

module_state() {
    psql -d "$DB" -XtAc "SELECT state FROM ir_module_module WHERE name = '$MODULE'" 2>/dev/null || true
}

if db_exists "$DB" && ! psql -d "$DB" -XtAc "SELECT 1 FROM ir_module_module LIMIT 1" >/dev/null 2>&1; then
    warn "database $DB exists but was never initialised by Odoo: recreating it"
    dropdb --force "$DB"
fi

if ! db_exists "$DB"; then
    info "Creating database $DB: installing $MODULE with demo data, in French"
    "${ODOO[@]}" -i "$MODULE" --with-demo --load-language=fr_FR --stop-after-init </dev/null ||
        die "installing $MODULE into $DB failed (see the log above)"
elif [ "$(module_state)" != installed ]; then
    info "Database $DB exists without $MODULE: installing it"
    "${ODOO[@]}" -i "$MODULE" --load-language=fr_FR --stop-after-init </dev/null ||
        die "installing $MODULE into $DB failed (see the log above)"
else
    info "Database $DB exists: updating $MODULE"
    "${ODOO[@]}" -u "$MODULE" --stop-after-init </dev/null ||
        die "updating $MODULE in $DB failed (see the log above)"
fi
[ "$(module_state)" = installed ] || die "$MODULE is not installed in $DB after the update"

if ! safe_python -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1], int(sys.argv[2])))' "$INTERFACE" "$PORT" 2>/dev/null; then
    die "port $PORT is already in use (another Odoo running?): stop it or set COORD_HTTP_PORT"
fi

cat <<EOF

Demo database '$DB' is ready: http://localhost:$PORT
Demo logins (password = login):

  login               who
  ------------------  ---------------------------------------------------------------
  coordinatrice       coordinatrice santé de Saint-Florent-des-Bois
  coordinateur.roche  coordinateur santé d'un quartier de La Roche-sur-Yon
  dr.martin           médecin généraliste
  ide.bernard         infirmière (IDE)
  agent.mairie        agent municipal
  responsable         responsable fonctionnel
  admin               administrateur (password: admin)

In this demo database the logins need no second factor (the module's
enforcement is off here; README: "Two-factor authentication and session lock").

Stop the server with Ctrl+C.

EOF

cd /
export PYTHONSAFEPATH=1
exec "$PYTHON" -m odoo -d "$DB" --addons-path="$ADDONS_PATH" \
    --http-interface="$INTERFACE" --http-port="$PORT" --db-filter="^${DB}\$" "$@"
