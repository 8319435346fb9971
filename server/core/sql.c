#include "sql.h"

const sql_stmt_t sql_stmts[SQL__COUNT] = {
	[SQL_STATUS] = { "status",
		"SELECT current_setting('server_version'), coalesce((SELECT max(version) FROM schema_migrations), 0)", 0 },
	[SQL_SESSION_CHECK] = { "session_check",
		"SELECT a.id, a.login, a.role, a.department_id, d.name FROM sessions s "
		"JOIN accounts a ON a.id = s.account_id LEFT JOIN departments d ON d.id = a.department_id "
		"WHERE s.token_hash = $1::bytea AND yk_session_live(s)", 1, true },
	[SQL_ACCOUNT_BY_LOGIN] = { "account_by_login",
		"SELECT a.id, a.password_hash, a.role, d.name, a.created_at FROM accounts a "
		"LEFT JOIN departments d ON d.id = a.department_id WHERE a.login = $1 AND NOT a.disabled", 1 },
	/* Logging in also clears that account's expired sessions, so the
	 * table does not grow without bound. */
	[SQL_SESSION_CREATE] = { "session_create",
		"WITH gone AS (DELETE FROM sessions s WHERE s.account_id = $2 AND NOT yk_session_live(s)) "
		"INSERT INTO sessions (token_hash, account_id, expires_at, peer) "
		"VALUES ($1::bytea, $2, now() + make_interval(hours => $3::int), $4) "
		"RETURNING yk_utc(expires_at)", 4 },
	[SQL_SESSION_DELETE] = { "session_delete", "DELETE FROM sessions WHERE token_hash = $1::bytea", 1 },
	[SQL_DEPARTMENT_ADD] = { "department_add", "SELECT yk_department_add($1::json, $2)", 2 },
	[SQL_DEPARTMENT_LIST] = { "department_list",
		"SELECT name, yk_utc(created_at) "
		"FROM departments ORDER BY name", 0, true },
	[SQL_USER_ADD] = { "user_add", "SELECT yk_user_add($1::json, $2, $3, $4, $5)", 5 },
	[SQL_USER_LIST] = { "user_list",
		"SELECT a.login, a.role, d.name, yk_utc(a.created_at), "
		"a.disabled FROM accounts a LEFT JOIN departments d ON d.id = a.department_id ORDER BY a.login", 0, true },
	[SQL_USER_CHANGE] = { "user_change", "SELECT yk_user_change($1::json, $2, $3, $4::boolean, $5::boolean, $6::boolean)", 6 },
	[SQL_SESSION_LIST] = { "session_list",
		"SELECT a.login, yk_utc(s.created_at), "
		"yk_utc(s.expires_at), s.peer "
		"FROM sessions s JOIN accounts a ON a.id = s.account_id "
		"WHERE ($1::text IS NULL OR a.login = $1) AND yk_session_live(s) ORDER BY a.login, s.created_at", 1, true },
	/* The current version's document was written with its rows, in the
	 * same transaction: one index lookup instead of assembling twenty
	 * tables again (docs/performance.md). */
	[SQL_PLEDGE_GET] = { "pledge_get",
		"SELECT v.document FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version "
		"WHERE p.code = $1", 1, true },
	/* fresh.c: the versions of a batch of pledges, which of a batch of
	 * sessions still hold, sorted byte-wise so that the daemon can search
	 * them, and last the snapshot they were read in */
	[SQL_FRESHNESS] = { "freshness",
		"SELECT 'p', p.code COLLATE \"C\", p.version FROM pledges p WHERE p.code = ANY ($1::text[]) "
		"UNION ALL SELECT 's', encode(s.token_hash, 'hex') COLLATE \"C\", NULL FROM sessions s "
		"WHERE s.token_hash = ANY (ARRAY(SELECT decode(h, 'hex') FROM unnest($2::text[]) AS h)) "
		"AND yk_session_live(s) "
		"UNION ALL SELECT 'x', pg_current_snapshot()::text COLLATE \"C\", NULL ORDER BY 1, 2", 2 },
	[SQL_PROGRESS_ADD] = { "progress_add",
		"SELECT yk_progress_add($1::json)", 1 },
	[SQL_PLEDGE_GET_AT] = { "pledge_get_at",
		"SELECT v.document FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id "
		"WHERE p.code = $1 AND v.changed_at <= $2::timestamptz ORDER BY v.version DESC LIMIT 1", 2, true },
	[SQL_PLEDGE_GET_ROUND] = { "pledge_get_round",
		"SELECT s.snapshot FROM submissions s JOIN rounds r ON r.id = s.round_id "
		"JOIN pledges p ON p.id = s.pledge_id WHERE p.code = $1 AND r.name = $2 AND s.state = 'approved'", 2, true },
	[SQL_PLEDGE_GET_APPROVED] = { "pledge_get_approved",
		"SELECT s.snapshot FROM submissions s JOIN rounds r ON r.id = s.round_id "
		"JOIN pledges p ON p.id = s.pledge_id WHERE p.code = $1 AND s.state = 'approved' "
		"ORDER BY r.as_of DESC, s.reviewed_at DESC LIMIT 1", 1, true },
	/* the lagging reason as kept with the current version's figures (core/
	 * figures.c; the same as yk_pledge_lagging reads off the rows, a query
	 * per pledge: 280 of the 330 ms of a list of 18,000), else from the rows */
	[SQL_PLEDGE_LIST] = { "pledge_list",
		"SELECT p.code, p.title, d.name, p.status, p.progress_pct, p.target_month, p.version, "
		"yk_utc(p.updated_at), p.area, yk_pledge_overdue(p), "
		"CASE WHEN vf.pledge_id IS NOT NULL THEN vf.lag_reason ELSE yk_pledge_lagging(p.id) END, "
		"CASE WHEN $7::text IS NOT NULL THEN coalesce((SELECT s.state FROM submissions s "
		"JOIN rounds r ON r.id = s.round_id WHERE r.name = $7 AND s.pledge_id = p.id), 'missing') END "
		"FROM yk_pledge_filter($1, $2, $3, $4, $5, $6, $7, $8) f JOIN pledges p ON p.id = f "
		"JOIN departments d ON d.id = p.department_id "
		"LEFT JOIN version_figures vf ON vf.pledge_id = p.id AND vf.version = p.version "
		"ORDER BY CASE $9 WHEN 'title' THEN p.title WHEN 'department' THEN d.name WHEN 'status' THEN p.status "
		"WHEN 'target' THEN coalesce(p.target_month, '9999') END, "
		"CASE WHEN $9 = 'progress' THEN p.progress_pct END DESC, "
		"CASE WHEN $9 = 'updated' THEN p.updated_at END DESC, p.code", 9, true },
	/* pages of an export: code order byte by byte (COLLATE "C"), whatever
	 * the database's collation, so that "after the last code" is the
	 * client's strcmp order too and no page skips or repeats a pledge */
	[SQL_PLEDGE_EXPORT] = { "pledge_export",
		"SELECT v.document FROM yk_pledge_filter($1, $2, $3, $4, $5, $6, $7, $8) f "
		"JOIN pledges p ON p.id = f JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version "
		"WHERE $9::text IS NULL OR p.code > $9 COLLATE \"C\" ORDER BY p.code COLLATE \"C\" LIMIT $10::int", 10, true },
	[SQL_PLEDGE_EXPORT_APPROVED] = { "pledge_export_approved",
		"SELECT a.snapshot FROM yk_pledge_filter($1, $2, $3, $4, $5, $6, $7, $8) f "
		"JOIN pledges p ON p.id = f CROSS JOIN LATERAL (SELECT s.snapshot FROM submissions s "
		"JOIN rounds r ON r.id = s.round_id WHERE s.pledge_id = f AND s.state = 'approved' "
		"AND ($9::text IS NULL OR r.name = $9) ORDER BY r.as_of DESC, s.reviewed_at DESC LIMIT 1) a "
		"WHERE $10::text IS NULL OR p.code > $10 COLLATE \"C\" ORDER BY p.code COLLATE \"C\" LIMIT $11::int", 11,
		true },
	/* the same columns as pledge_list, from the approved versions (the
	 * latest, or those of round $8) */
	[SQL_READER_LIST] = { "reader_list",
		"SELECT code, title, department, status, progress_pct, target_month, version, updated_at, area, overdue, "
		"lagging, submission FROM yk_reader_list($1, $2, $3, $4, $5, $6, $7, $8)", 8, true },
	[SQL_STATS] = { "stats", "SELECT yk_stats($1, $2::int, $3::boolean)", 3, true },
	/* where the primary's WAL is: at or past every commit it has answered
	 * (io/db_route.c, core/lsn.c) */
	[SQL_PRIMARY_LSN] = { "primary_lsn", "SELECT pg_current_wal_insert_lsn()::text", 0 },
	/* how far a replica has replayed, and how old the last replayed commit
	 * is (NULL on a server that is not in recovery) */
	[SQL_REPLICA_POSITION] = { "replica_position",
		"SELECT coalesce(pg_last_wal_replay_lsn(), pg_current_wal_insert_lsn())::text, "
		"extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8", 0 },
	[SQL_IDEM_LOOKUP] = { "idem_lookup",
		"SELECT request_hash, op, result FROM idempotency_keys WHERE account_id = $1 AND key = $2", 2 },
	[SQL_AUDIT_VERIFY] = { "audit_verify", "SELECT ok, checked, bad_id, reason, repaired FROM yk_audit_verify()", 0, true },
	/* The newest $4 + 1 entries, newest first, cut where the documents
	 * before an entry pass $5 bytes (with one entry more, which tells the
	 * daemon that older ones exist): what one page holds in memory is
	 * bounded by bytes, whatever the documents' size. */
	[SQL_HISTORY] = { "history",
		"SELECT id, at, login, peer, request_id, op, outcome, status, message, version, before_doc, after_doc, "
		"bytes_before FROM ("
		"SELECT h.*, coalesce(sum(h.sz) OVER (ORDER BY h.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) "
		"AS bytes_before, "
		"coalesce(sum(h.sz) OVER (ORDER BY h.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING), 0) "
		"AS bytes_before_previous "
		"FROM (SELECT d.*, coalesce(octet_length(d.before_doc::text), 0) + coalesce(octet_length(d.after_doc::text), 0) AS sz "
		"FROM (SELECT id, yk_utc(at) AS at, login, peer, request_id, op, outcome, status, message, version, "
		/* a version's documents are its rows in pledge_versions (audit rows
		 * from before 0015 hold them themselves) */
		"coalesce(before, (SELECT v.document FROM pledge_versions v JOIN pledges p ON p.id = v.pledge_id "
		"WHERE a.before_sha256 IS NOT NULL AND p.code = a.pledge_code AND v.version = a.version - 1)) AS before_doc, "
		"coalesce(after, (SELECT v.document FROM pledge_versions v JOIN pledges p ON p.id = v.pledge_id "
		"WHERE a.after_sha256 IS NOT NULL AND p.code = a.pledge_code AND v.version = a.version)) AS after_doc "
		"FROM (SELECT * FROM audit_log "
		"WHERE pledge_code = $1 AND ($2::boolean OR outcome = 'accepted') "
		"AND id < coalesce((SELECT min(x.id) FROM audit_log x WHERE x.pledge_code = $1 AND x.outcome = 'accepted' "
		"AND x.version >= $3::bigint), 9223372036854775807) "
		"ORDER BY id DESC LIMIT $4::int + 1) a) d) h) w "
		"WHERE w.bytes_before_previous < $5::bigint ORDER BY id DESC", 5, true },
	[SQL_ROUND_OPEN] = { "round_open", "SELECT yk_round_open($1::json, $2, $3::date, $4::date)", 4 },
	[SQL_ROUND_CLOSE] = { "round_close", "SELECT yk_round_close($1::json, $2)", 2 },
	[SQL_ROUND_GET] = { "round_get", "SELECT yk_round_json(r) FROM rounds r WHERE r.name = $1", 1, true },
	[SQL_ROUND_LIST] = { "round_list", "SELECT yk_round_json(r) FROM rounds r ORDER BY r.as_of, r.name", 0, true },
	[SQL_ROUND_STATUS] = { "round_status",
		"SELECT department, code, title, state, version, submitted_at, late, comment FROM yk_round_status($1)", 1, true },
	[SQL_SUBMIT] = { "submit", "SELECT yk_submit($1::json, $2, $3, $4)", 4 },
	[SQL_REVIEW] = { "review", "SELECT yk_review($1::json, $2, $3, $4, $5)", 5 },
	[SQL_TARGET_JUDGE] = { "target_judge", "SELECT yk_target_judge($1::json, $2, $3::int, $4, $5)", 5 },
	[SQL_CHANGE_PROPOSE] = { "change_propose",
		"SELECT yk_change_propose($1::json, $2, $3, $4::json, $5, $6, $7::json, $8::json, $9::json, $10, $11, $12)", 12 },
	[SQL_CHANGE_STEP] = { "change_step",
		"SELECT yk_change_step($1::json, $2, $3, $4, $5, $6, $7, $8, $9::json, $10, $11, $12)", 12 },
	[SQL_CHANGE_LOAD] = { "change_load",
		"SELECT kind, state, code, base_version, document, reason, current, version, open_round, opinion, votes_for, "
		"votes_against, votes_abstain FROM yk_change_load($1)", 1 },
	[SQL_CHANGE_GET] = { "change_get", "SELECT yk_change_json($1)", 1, true },
	[SQL_CHANGE_LIST] = { "change_list", "SELECT yk_change_list($1, $2, $3, $4)", 4, true },
	/* Idempotency keys are kept a day (a retry comes within minutes), and
	 * expired sessions are of no use to anyone. */
	[SQL_HOUSEKEEPING] = { "housekeeping",
		"WITH k AS (DELETE FROM idempotency_keys WHERE created_at < now() - interval '1 day' RETURNING 1), "
		"s AS (DELETE FROM sessions x WHERE NOT yk_session_live(x) RETURNING 1) "
		"SELECT (SELECT count(*) FROM k), (SELECT count(*) FROM s)", 0 },
	/* stats' figures of versions not figured yet, at most $1 of them, a
	 * current version once it has been current for $2 seconds
	 * (core/figures.c) */
	[SQL_FIGURES_REFRESH] = { "figures_refresh",
		"SELECT yk_figures_refresh($1::int, make_interval(secs => $2::int))", 2 },
};
