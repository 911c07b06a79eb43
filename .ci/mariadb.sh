# Sourced by .ci/run: a throwaway MariaDB for the MySQL tests. `start_test_mariadb` installs
# mariadb-server from Debian's apt when it is missing, initialises a datadir in a temporary folder
# with mariadb-install-db, starts mariadbd on 127.0.0.1 at a free port, creates a user with a
# password and a database, and exports PERFLENS_TEST_MYSQL_URL; `stop_test_mariadb` stops it and
# removes the folder (the caller traps it, so it runs on failure too).
# mariadbd refuses to run as root unless told to, so as root it runs as the `mysql` user the
# package creates.

MARIADB_DIR=""
MARIADB_PID=""

start_test_mariadb() {
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    if [ "$(id -u)" != 0 ]; then echo "MariaDB is not installed and installing it needs root"; return 1; fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || return 1
    # The package's maintainer scripts try to start the service; policy-rc.d keeps them from it in containers.
    apt-get install -y -qq --no-install-recommends mariadb-server >/dev/null || return 1
  fi
  local mariadbd=/usr/sbin/mariadbd
  command -v mariadbd >/dev/null 2>&1 && mariadbd=$(command -v mariadbd)
  MARIADB_DIR=$(mktemp -d /tmp/perflens-mariadb.XXXXXX) || return 1
  chmod 755 "$MARIADB_DIR"
  local port password user_opt=()
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})") || return 1
  # A password, so that the tests also prove it never shows up in messages.
  password="pl$(node -e "console.log(require('crypto').randomBytes(9).toString('hex'))")"
  if [ "$(id -u)" = 0 ]; then
    chown mysql:mysql "$MARIADB_DIR"
    user_opt=(--user=mysql)
  fi
  mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$MARIADB_DIR/data" --auth-root-authentication-method=normal \
    --skip-test-db >"$MARIADB_DIR/install-db.log" 2>&1 || { cat "$MARIADB_DIR/install-db.log"; return 1; }
  "$mariadbd" --no-defaults "${user_opt[@]}" --datadir="$MARIADB_DIR/data" --bind-address=127.0.0.1 --port="$port" \
    --socket="$MARIADB_DIR/mariadb.sock" --pid-file="$MARIADB_DIR/mariadb.pid" --skip-name-resolve \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M --innodb-flush-log-at-trx-commit=0 \
    --log-error="$MARIADB_DIR/server.log" >/dev/null 2>&1 &
  MARIADB_PID=$!
  local i
  for i in $(seq 1 120); do
    if mariadb --no-defaults --socket="$MARIADB_DIR/mariadb.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    if ! kill -0 "$MARIADB_PID" 2>/dev/null; then cat "$MARIADB_DIR/server.log"; return 1; fi
    sleep 0.5
  done
  mariadb --no-defaults --socket="$MARIADB_DIR/mariadb.sock" -uroot -e "
    CREATE USER 'perflens'@'127.0.0.1' IDENTIFIED BY '$password';
    GRANT ALL PRIVILEGES ON *.* TO 'perflens'@'127.0.0.1';
    CREATE DATABASE perflens;" || { cat "$MARIADB_DIR/server.log"; return 1; }
  export PERFLENS_TEST_MYSQL_URL="mysql://perflens:$password@127.0.0.1:$port/perflens"
  echo "MariaDB $(mariadb --no-defaults --socket="$MARIADB_DIR/mariadb.sock" -uroot -N -e 'SELECT VERSION()') for the tests on 127.0.0.1:$port"
}

stop_test_mariadb() {
  if [ -n "$MARIADB_PID" ] && kill -0 "$MARIADB_PID" 2>/dev/null; then
    kill "$MARIADB_PID" 2>/dev/null
    wait "$MARIADB_PID" 2>/dev/null
  fi
  [ -n "$MARIADB_DIR" ] && rm -rf "$MARIADB_DIR"
  MARIADB_DIR=""
  MARIADB_PID=""
}
