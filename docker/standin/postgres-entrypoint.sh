#!/bin/bash
# The stand-in's entrypoint: on an empty data directory, create the cluster with
# POSTGRES_USER as superuser (password from POSTGRES_PASSWORD_FILE) and POSTGRES_DB; then run
# the server as `postgres`, listening on every interface of the container.
set -euo pipefail
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

if [[ $(id -u) == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
fi

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  [[ -r ${POSTGRES_PASSWORD_FILE:-} ]] || { echo 'POSTGRES_PASSWORD_FILE is not readable' >&2; exit 1; }
  # initdb reads the first line of --pwfile; a copy the postgres user can read, removed at once.
  pwfile=$(mktemp)
  cat "$POSTGRES_PASSWORD_FILE" >"$pwfile"
  chown postgres "$pwfile"
  as_postgres initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  if [[ $db != postgres ]]; then
    echo "CREATE DATABASE \"$db\" OWNER \"$user\";" |
      as_postgres postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "stand-in: initialised $PGDATA (user $user, database $db)"
fi

if [[ ${1:-} == postgres ]]; then
  shift
  exec setpriv --reuid=postgres --regid=postgres --init-groups \
    postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
