#!/usr/bin/env bash
# Start a local PostgreSQL and create the role and database Mend's tests use.
#
#   scripts/dev-postgres.sh                 # start, create, print the export line
#   eval "$(scripts/dev-postgres.sh)"       # ... and export MEND_TEST_POSTGRES_URL
#   make test                               # now the PostgreSQL half runs too
#
# Progress goes to stderr; stdout is only the `export MEND_TEST_POSTGRES_URL=...` line.
#
# Idempotent: a running server, an existing role or database are left as they are
# (the role's password and CREATEDB are re-asserted). Needs Debian's postgresql
# packages (pg_lsclusters, pg_ctlcluster); run as root or as a user with sudo.
# The role gets CREATEDB because the tests create one database per pytest worker.
# Settings: MEND_PG_USER, MEND_PG_PASSWORD, MEND_PG_DB (default mend / mend / mend_test).
set -euo pipefail

PG_USER="${MEND_PG_USER:-mend}"
PG_PASSWORD="${MEND_PG_PASSWORD:-mend}"
PG_DB="${MEND_PG_DB:-mend_test}"

log() { echo "dev-postgres: $*" >&2; }
die() { echo "dev-postgres: error: $*" >&2; exit 1; }

# Run a command as the postgres superuser account.
as_postgres() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    elif [[ $(id -un) == postgres ]]; then
        "$@"
    else
        sudo -n -u postgres -- "$@" || die "cannot run as the postgres user (need root or sudo)"
    fi
}

command -v pg_lsclusters >/dev/null \
    || die "PostgreSQL is not installed: apt-get install -y postgresql"

# The newest installed cluster; create one when the packages left none behind.
cluster=$(pg_lsclusters --no-header | sort -k1,1V | tail -n 1 || true)
if [[ -z "$cluster" ]]; then
    version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
    [[ -n "$version" ]] || die "no PostgreSQL server binaries in /usr/lib/postgresql"
    log "creating cluster $version/main"
    if [[ $(id -u) == 0 ]]; then pg_createcluster "$version" main >&2; else
        sudo -n pg_createcluster "$version" main >&2; fi
    cluster=$(pg_lsclusters --no-header | sort -k1,1V | tail -n 1)
fi
read -r version name port status _ <<<"$cluster"

if [[ "$status" != online* ]]; then
    log "starting cluster $version/$name on port $port"
    if [[ $(id -u) == 0 ]]; then pg_ctlcluster "$version" "$name" start >&2; else
        sudo -n pg_ctlcluster "$version" "$name" start >&2; fi
fi
for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || die "PostgreSQL $version/$name did not come up on port $port"

psql_super() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"; }

# Role and database names are fixed identifiers (no quoting games); the password is
# passed as a psql variable so it is quoted as a literal.
psql_super -v user="$PG_USER" -v password="$PG_PASSWORD" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password') \gexec
SQL
psql_super -v user="$PG_USER" -v db="$PG_DB" >/dev/null <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

url="postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
log "PostgreSQL $version/$name is up on 127.0.0.1:$port; role $PG_USER (CREATEDB), database $PG_DB"
echo "export MEND_TEST_POSTGRES_URL='$url'"
