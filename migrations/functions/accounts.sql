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
                             'created_at', to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
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
                             'created_at', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, NULL, 'accepted', 'OK', 'account ' || login || ' added as ' || role, NULL, NULL, res);
    RETURN res;
END $$;
