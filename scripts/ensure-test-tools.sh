#!/usr/bin/env bash
# What the tests need beyond npm packages, from Debian's packages (never a downloaded
# browser): Chromium for the browser tests, pgbouncer for the DATABASE_LISTEN_URL fault
# test. PostgreSQL's initdb/pg_ctl and redis-server (throwaway servers in the fault
# tests) come with the services themselves.
set -euo pipefail
missing=()
{ [ -x /usr/bin/chromium ] || [ -x /usr/lib/chromium/chromium ]; } || missing+=(chromium)
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing for the tests: ${missing[*]}; run 'sudo apt-get install -y ${missing[*]}'" >&2
  exit 1
fi
echo "installing ${missing[*]} for the tests…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
