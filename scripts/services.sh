#!/usr/bin/env bash
# Starts, stops and reports the services cyrange needs, without systemd:
# PostgreSQL 15 (cluster 15/main, a login role for the current user, database
# "cyrange", the role "cyranged" the daemon connects as) and libvirt (virtlogd + libvirtd). Idempotent: a service that is
# already running is left alone, so a second run neither fails nor duplicates.
#
# usage: scripts/services.sh start|stop|status [postgresql|libvirt|all]
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=main
PG_LOG=/var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log
LOG_DIR=/var/log/cyrange
LIBVIRTD_LOG=${LOG_DIR}/libvirtd.log
VIRTLOGD_LOG=${LOG_DIR}/virtlogd.log
DB_NAME=${CYRANGE_DB_NAME:-cyrange}
DAEMON_ROLE=${CYRANGE_DAEMON_ROLE:-cyranged}
PEER_MAP=cyrange

say() { echo "services: $*"; }
fail() {
  echo "services: error: $1" >&2
  exit 1
}

as_postgres() { runuser -u postgres -- "$@"; }

pg_online() {
  pg_lsclusters --no-header 2>/dev/null |
    awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }' | grep -q online
}

start_postgresql() {
  command -v pg_ctlcluster >/dev/null ||
    fail "PostgreSQL is not installed; run scripts/install-deps.sh first."
  if ! pg_lsclusters --no-header | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} ${PG_CLUSTER}"; then
    say "creating PostgreSQL cluster ${PG_VERSION}/${PG_CLUSTER}"
    pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >/dev/null
  fi
  if pg_online; then
    say "postgresql ${PG_VERSION}/${PG_CLUSTER} already running"
  else
    # A crash can leave a stale pid file that blocks the start.
    local pidfile=/var/lib/postgresql/${PG_VERSION}/${PG_CLUSTER}/postmaster.pid
    if [ -f "$pidfile" ] && ! kill -0 "$(head -1 "$pidfile")" 2>/dev/null; then
      rm -f "$pidfile"
    fi
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start ||
      fail "PostgreSQL ${PG_VERSION}/${PG_CLUSTER} did not start; read ${PG_LOG} for the reason."
    say "postgresql ${PG_VERSION}/${PG_CLUSTER} started (log: ${PG_LOG})"
  fi
  local user
  user=$(id -un)
  # Peer authentication over the unix socket: no password exists anywhere.
  if [ "$(as_postgres psql -tAc "select 1 from pg_roles where rolname = '${user}'")" != 1 ]; then
    as_postgres createuser --createdb "$user"
    say "created PostgreSQL role ${user}"
  fi
  if [ "$(as_postgres psql -tAc "select 1 from pg_database where datname = '${DB_NAME}'")" != 1 ]; then
    as_postgres createdb -O "$user" "$DB_NAME"
    say "created database ${DB_NAME}"
  fi
  daemon_role "$user"
}

# The role cyranged connects as: it owns nothing, creates nothing, and may only add to and
# read the audit log (`cyrange db migrate --daemon-role` grants its privileges). The user
# running this script owns the schema and migrates it; peer authentication maps that user
# to the daemon role too (`?user=cyranged` in the database URI), so still no password
# exists anywhere. Idempotent: the role, the map and the pg_hba option are added once.
daemon_role() {
  local user=$1
  if [ "$(as_postgres psql -tAc "select 1 from pg_roles where rolname = '${DAEMON_ROLE}'")" != 1 ]; then
    as_postgres psql -qc "CREATE ROLE ${DAEMON_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
    say "created PostgreSQL role ${DAEMON_ROLE} (the role cyranged connects as)"
  fi
  local ident hba changed=0
  ident=$(as_postgres psql -tAc "show ident_file")
  hba=$(as_postgres psql -tAc "show hba_file")
  # Every system user keeps its own role; this one may also be the daemon's.
  local same daemon line
  same=$(printf '%s\t/^(.*)$\t\\1' "$PEER_MAP")
  daemon=$(printf '%s\t%s\t%s' "$PEER_MAP" "$user" "$DAEMON_ROLE")
  for line in "$same" "$daemon"; do
    if ! grep -qxF "$line" "$ident"; then
      printf '%s\n' "$line" >>"$ident"
      changed=1
    fi
  done
  if grep -Eq '^local[[:space:]]+all[[:space:]]+all[[:space:]]+peer[[:space:]]*$' "$hba"; then
    sed -i -E "s/^(local[[:space:]]+all[[:space:]]+all[[:space:]]+peer)[[:space:]]*$/\1 map=${PEER_MAP}/" "$hba"
    changed=1
  fi
  if [ "$changed" = 1 ]; then
    # A broken line would lock every local user out: check before the server reads it.
    if [ -n "$(as_postgres psql -tAc "select 1 from pg_hba_file_rules where error is not null")" ] ||
      [ -n "$(as_postgres psql -tAc "select 1 from pg_ident_file_mappings where error is not null")" ]; then
      fail "the peer map for ${DAEMON_ROLE} in ${hba} / ${ident} has an error; fix it by hand."
    fi
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" reload
    say "${user} may connect as ${DAEMON_ROLE} (peer map ${PEER_MAP} in ${ident})"
  fi
}

stop_postgresql() {
  if pg_online; then
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop
    say "postgresql stopped"
  fi
}

libvirt_answers() { virsh -q -c qemu:///system version >/dev/null 2>&1; }

start_libvirt() {
  command -v libvirtd >/dev/null ||
    fail "libvirt is not installed; run scripts/install-deps.sh first."
  mkdir -p "$LOG_DIR"
  # Network safety: libvirt's "default" network NATs to the outside. It must
  # never come up with the daemon.
  rm -f /etc/libvirt/qemu/networks/autostart/default.xml
  if pgrep -x virtlogd >/dev/null; then
    say "virtlogd already running"
  else
    LIBVIRT_LOG_OUTPUTS="3:file:${VIRTLOGD_LOG}" virtlogd -d ||
      fail "virtlogd did not start; read ${VIRTLOGD_LOG} for the reason."
    say "virtlogd started (log: ${VIRTLOGD_LOG})"
  fi
  if pgrep -x libvirtd >/dev/null; then
    say "libvirtd already running"
  else
    LIBVIRT_LOG_OUTPUTS="3:file:${LIBVIRTD_LOG}" libvirtd -d ||
      fail "libvirtd did not start; read ${LIBVIRTD_LOG} for the reason."
    say "libvirtd started (log: ${LIBVIRTD_LOG})"
  fi
  for _ in $(seq 1 100); do
    if libvirt_answers; then return 0; fi
    sleep 0.2
  done
  fail "libvirtd is running but qemu:///system does not answer after 20 s; read ${LIBVIRTD_LOG}."
}

stop_libvirt() {
  for daemon in libvirtd virtlogd; do
    if pgrep -x "$daemon" >/dev/null; then
      pkill -TERM -x "$daemon"
      say "$daemon stopped"
    fi
  done
}

status() {
  if pg_online; then say "postgresql: running"; else say "postgresql: stopped"; fi
  if pgrep -x libvirtd >/dev/null && libvirt_answers; then say "libvirtd: running"; else say "libvirtd: stopped"; fi
  if pgrep -x virtlogd >/dev/null; then say "virtlogd: running"; else say "virtlogd: stopped"; fi
}

action=${1:-start}
which=${2:-all}
case "$action:$which" in
  start:postgresql) start_postgresql ;;
  start:libvirt) start_libvirt ;;
  start:all) start_postgresql; start_libvirt ;;
  stop:postgresql) stop_postgresql ;;
  stop:libvirt) stop_libvirt ;;
  stop:all) stop_libvirt; stop_postgresql ;;
  status:*) status ;;
  *) fail "unknown request '$action $which'; use: start|stop|status [postgresql|libvirt|all]" ;;
esac
