-- Departments and accounts, added by an admin, and their sessions.

-- The one definition of "this session still holds": every statement that
-- confirms a session (server/core/sql.c, functions/progress.sql) asks it.  A
-- plain SQL expression, so PostgreSQL inlines it and the expiry index serves.
CREATE OR REPLACE FUNCTION yk_session_live(s sessions) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT s.expires_at > now()
$$;

CREATE OR REPLACE FUNCTION yk_department_add(ctx json, name text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    res json := yk_idem_begin(ctx);
    d departments;
BEGIN
    IF res IS NOT NULL THEN
        RETURN res;
    END IF;
    INSERT INTO departments (name) VALUES (name) RETURNING * INTO d;
    res := json_build_object('name', d.name,
                             'created_at', yk_utc(d.created_at));
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, NULL, 'accepted', 'OK', 'department ' || name || ' added', NULL, NULL, res);
    RETURN res;
END $$;

CREATE OR REPLACE FUNCTION yk_user_add(ctx json, login text, role text, department text, password_hash text) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    res json := yk_idem_begin(ctx);
    dept bigint;
    a accounts;
BEGIN
    IF res IS NOT NULL THEN
        RETURN res;
    END IF;
    IF department IS NOT NULL THEN
        SELECT id INTO dept FROM departments d WHERE d.name = department;
        IF dept IS NULL THEN
            RAISE EXCEPTION 'department "%" does not exist', department USING ERRCODE = 'YK422', COLUMN = 'department';
        END IF;
    END IF;
    INSERT INTO accounts (login, role, department_id, password_hash) VALUES (login, role, dept, password_hash)
    RETURNING * INTO a;
    res := json_build_object('login', a.login, 'role', a.role, 'department', department,
                             'created_at', yk_utc(a.created_at));
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, NULL, 'accepted', 'OK', 'account ' || login || ' added as ' || role, NULL, NULL, res);
    RETURN res;
END $$;

-- An admin's change to an account: a new password (its hash), disabled or
-- enabled, its sessions ended.  A new password or disabling ends the
-- account's sessions as well: whoever held one must log in again.  An admin
-- cannot disable the account it is using.  Audited like every write.
CREATE OR REPLACE FUNCTION yk_user_change(ctx json, login text, password_hash text, disabled boolean,
                                          end_sessions boolean, unlock boolean) RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    res json := yk_idem_begin(ctx);
    a accounts;
    ended int := 0;
BEGIN
    IF res IS NOT NULL THEN
        RETURN (res::jsonb || '{"replayed": true}')::json;
    END IF;
    SELECT * INTO a FROM accounts x WHERE x.login = yk_user_change.login FOR UPDATE;
    IF a.id IS NULL THEN
        RAISE EXCEPTION 'no account has the login %', login USING ERRCODE = 'YK404';
    END IF;
    IF disabled AND a.id = (ctx ->> 'account_id')::bigint THEN
        RAISE EXCEPTION 'you cannot disable the account you are using' USING ERRCODE = 'YK412';
    END IF;
    UPDATE accounts x SET password_hash = coalesce(yk_user_change.password_hash, x.password_hash),
                          disabled = coalesce(yk_user_change.disabled, x.disabled)
    WHERE x.id = a.id;
    IF end_sessions OR password_hash IS NOT NULL OR disabled THEN
        DELETE FROM sessions s WHERE s.account_id = a.id;
        GET DIAGNOSTICS ended = ROW_COUNT;
    END IF;
    res := json_build_object('login', a.login, 'role', a.role,
                             'department', (SELECT d.name FROM departments d WHERE d.id = a.department_id),
                             'created_at', yk_utc(a.created_at),
                             'disabled', coalesce(yk_user_change.disabled, a.disabled), 'sessions_ended', ended);
    PERFORM yk_audit_append(ctx, NULL, 'accepted', 'OK',
                            format('account %s:%s%s%s%s, %s sessions ended', a.login,
                                   CASE WHEN password_hash IS NOT NULL THEN ' new password' ELSE '' END,
                                   CASE WHEN disabled THEN ' disabled' WHEN NOT disabled THEN ' enabled' ELSE '' END,
                                   CASE WHEN end_sessions THEN ' sessions revoked' ELSE '' END,
                                   CASE WHEN unlock THEN ' failed logins cleared' ELSE '' END, ended),
                            NULL, NULL, NULL);
    PERFORM yk_idem_end(ctx, res);
    RETURN res;
END $$;
