#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: initdb in a temporary directory, start it
# on a free loopback port and a Unix socket, export TEST_DATABASE_URL, run the command, stop and delete the server.
# Installs Debian's postgresql package when its binaries are missing.
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pgbin=$(find_bin)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ]; then
  echo "PostgreSQL is missing; installing Debian's postgresql package."
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  pgbin=$(find_bin)
fi

dir=$(mktemp -d /tmp/fonds-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres:postgres "$dir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >/dev/null
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres fonds_test

# Through the server's Unix socket: the suite makes many small queries, and the access table
# ran 15% faster this way than over TCP on loopback.
export TEST_DATABASE_URL="postgresql+psycopg://postgres@/fonds_test?host=$dir&port=$port"
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on the socket in $dir (port $port)"
"$@"
