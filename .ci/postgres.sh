# Sourced by .ci/run: a throwaway PostgreSQL 15 (with HypoPG) for the database tests. `start_test_postgres`
# installs it from Debian's apt when it is missing, initialises a cluster in a temporary folder,
# starts it on 127.0.0.1 at a free port and exports PERFLENS_TEST_PG_URL; `stop_test_postgres`
# stops it and removes the folder (the caller traps it, so it runs on failure too).
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user the
# package creates.

PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR=""

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  # HypoPG: "Suggest index" tries hypothetical indexes on a real PostgreSQL.
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/hypopg.control ]; then
    if [ "$(id -u)" != 0 ]; then echo "PostgreSQL 15 (with HypoPG) is not installed and installing it needs root"; return 1; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || return 1
    apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-hypopg >/dev/null || return 1
  fi
  PG_DIR=$(mktemp -d /tmp/perflens-pg.XXXXXX) || return 1
  chmod 755 "$PG_DIR"
  local port password
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})") || return 1
  # A password, so that the tests also prove it never shows up in messages.
  password="pl$(node -e "console.log(require('crypto').randomBytes(9).toString('hex'))")"
  printf '%s\n' "$password" > "$PG_DIR/pwfile"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PG_DIR"; fi
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U perflens --pwfile="$PG_DIR/pwfile" -A scram-sha-256 -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off" start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
  export PERFLENS_TEST_PG_URL="postgres://perflens:$password@127.0.0.1:$port/postgres"
  echo "PostgreSQL 15 for the tests on 127.0.0.1:$port"
}

stop_test_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
  fi
  [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
  PG_DIR=""
}
