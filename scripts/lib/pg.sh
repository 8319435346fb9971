# Private PostgreSQL clusters for the README's commands and the tests.
# Source this file; it defines functions and changes nothing by itself.
#
# A cluster lives in one directory: data in $dir/data, its unix socket in
# $dir (no TCP at all, so clusters never fight over ports), its log in
# $dir/postgres.log.  When we run as root, PostgreSQL runs as `postgres`
# (initdb refuses root).

yk_pg_bindir() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
	echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
	return 1
}

# Run a command as the cluster's owner.
yk_pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# yk_pg_init DIR PORT: create the cluster and its `yaksok` role and database.
yk_pg_init() {
	local dir=$1 port=$2 bin
	bin=$(yk_pg_bindir) || return 1
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$dir"
	fi
	chmod 700 "$dir"
	yk_pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		return 1
	}
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
fsync = on
synchronous_commit = on
max_connections = ${YK_PG_MAX_CONNECTIONS:-50}
shared_buffers = 64MB
log_min_messages = warning
CONF
	yk_pg_start "$dir" || return 1
	yk_pg_as_owner "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL || return 1
CREATE ROLE yaksok_owner LOGIN;
CREATE ROLE yaksok LOGIN;
CREATE DATABASE yaksok OWNER yaksok_owner ENCODING 'UTF8' TEMPLATE template0;
SQL
}

# A cluster made before the schema had an owner role of its own: give it one
# (the daemon's role keeps only what it is granted at its next start).
yk_pg_upgrade_roles() {
	local dir=$1 port=$2 bin
	bin=$(yk_pg_bindir) || return 1
	local psql=(yk_pg_as_owner "$bin/psql" -X -q -A -t -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1)
	[ "$("${psql[@]}" -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname = 'yaksok_owner'")" = 1 ] && return 0
	echo "giving the schema in $dir an owner role of its own (yaksok_owner)"
	"${psql[@]}" -d postgres -c "CREATE ROLE yaksok_owner LOGIN" &&
		"${psql[@]}" -d postgres -c "ALTER DATABASE yaksok OWNER TO yaksok_owner" &&
		"${psql[@]}" -d yaksok -c "REASSIGN OWNED BY yaksok TO yaksok_owner"
}

yk_pg_start() {
	local dir=$1 bin
	bin=$(yk_pg_bindir) || return 1
	yk_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null || {
		tail -20 "$dir/postgres.log" >&2
		return 1
	}
}

yk_pg_running() {
	local dir=$1 bin
	bin=$(yk_pg_bindir) || return 1
	yk_pg_as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

yk_pg_stop() {
	local dir=$1 bin
	bin=$(yk_pg_bindir) || return 1
	[ -d "$dir/data" ] || return 0
	yk_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

# yk_pg_replica PRIMARY_DIR REPLICA_DIR [CLUSTER_NAME]: a streaming replica of
# the running cluster in PRIMARY_DIR (pg_basebackup -R: it follows the
# primary), in a directory of its own with its own socket, started.  With
# CLUSTER_NAME it names itself so, which a primary's synchronous_standby_names
# can list.
yk_pg_replica() {
	local primary=$1 dir=$2 name=${3:-} bin
	bin=$(yk_pg_bindir) || return 1
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	chmod 700 "$dir"
	yk_pg_as_owner "$bin/pg_basebackup" -h "$primary" -p 5432 -U postgres -D "$dir/data" -R -X stream -c fast \
		>/dev/null || return 1
	yk_pg_as_owner sed -i "s|^unix_socket_directories = .*|unix_socket_directories = '$dir'|" "$dir/data/postgresql.conf"
	if [ -n "$name" ]; then
		echo "cluster_name = '$name'" | yk_pg_as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
	fi
	yk_pg_start "$dir"
}

# The libpq connection strings of the cluster's yaksok database: the
# daemon's own role, and the role that owns the schema (migrations).
yk_pg_conninfo() {
	local dir=$1 port=$2
	echo "host=$dir port=$port user=yaksok dbname=yaksok"
}

yk_pg_owner_conninfo() {
	local dir=$1 port=$2
	echo "host=$dir port=$port user=yaksok_owner dbname=yaksok"
}
