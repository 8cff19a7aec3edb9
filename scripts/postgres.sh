#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests. Source this file, then call
# start_test_postgres: it installs the server with apt when its binaries are missing,
# runs initdb as a non-root user in a temporary folder, starts the server on a free port
# bound to 127.0.0.1, creates the database meshflow_test, and exports
# MESHFLOW_TEST_POSTGRES. stop_test_postgres stops the server and deletes the folder.

pg_bin=""
pg_dir=""
pg_user=""

find_postgres_bin() {
  local initdb
  initdb="$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$initdb" ]; then
    dirname "$initdb"
  fi
}

install_postgres() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not installed and this user cannot install it: run 'sudo apt-get install -y postgresql'," \
      "or set MESHFLOW_TEST_POSTGRES to the connection string of a server you run." >&2
    return 1
  fi
  echo "Installing PostgreSQL with apt-get..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# Runs a command as the user that owns the data folder: initdb refuses to run as root.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$pg_user" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_test_postgres() {
  pg_bin="$(find_postgres_bin)"
  if [ -z "$pg_bin" ]; then
    install_postgres || return 1
    pg_bin="$(find_postgres_bin)"
  fi
  if [ -z "$pg_bin" ]; then
    echo "PostgreSQL binaries not found under /usr/lib/postgresql after installing the postgresql package." >&2
    return 1
  fi

  if [ "$(id -u)" -eq 0 ]; then
    pg_user="postgres"
    if ! id "$pg_user" >/dev/null 2>&1; then
      useradd --system --no-create-home "$pg_user"
    fi
  else
    pg_user="$(id -un)"
  fi

  pg_dir="$(mktemp -d /tmp/meshflow-pg.XXXXXX)"
  chown "$pg_user" "$pg_dir" 2>/dev/null || true
  local port
  port="$(free_port)"

  as_pg_user "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 || {
    echo "initdb failed; its output:" >&2
    cat "$pg_dir/initdb.log" >&2
    return 1
  }

  # fsync off and a larger connection limit suit a disposable test server.
  as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || {
    echo "PostgreSQL failed to start; its log:" >&2
    cat "$pg_dir/server.log" >&2
    return 1
  }

  as_pg_user "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres meshflow_test
  export MESHFLOW_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=meshflow_test"
  echo "Started PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $pg_dir)."
}

stop_test_postgres() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir/data" ]; then
    as_pg_user "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$pg_dir" ]; then
    rm -rf "$pg_dir"
  fi
}
