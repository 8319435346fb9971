-- Change requests (사업변경) and completion confirmations: the state machine
-- of migrations/0009_change_requests.sql, one step at a time under the
-- request's row lock.

-- A request as the protocol shows it (ChangeRequest).
CREATE OR REPLACE FUNCTION yk_change_json(rid bigint) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_strip_nulls(json_build_object(
        'id', c.id, 'code', p.code, 'title', p.title, 'department', d.name, 'kind', c.kind, 'state', c.state,
        'base_version', c.base_version, 'applied_version', c.applied_version, 'reason', c.reason,
        'proposed_by', a.login, 'proposed_at', yk_utc(c.proposed_at), 'updated_at', yk_utc(c.updated_at),
        'round', r.name, 'fields', c.fields, 'card', c.card,
        'evidence', (SELECT coalesce(json_agg(json_build_object('name', e.name, 'size', e.size,
                                                                'sha256', encode(e.sha256, 'hex')) ORDER BY e.seq), '[]')
                     FROM change_request_evidence e WHERE e.request_id = c.id),
        'steps', (SELECT coalesce(json_agg(json_strip_nulls(json_build_object(
                             'step', s.step, 'login', s.login, 'role', s.role, 'at', yk_utc(s.at),
                             'comment', s.comment, 'votes_for', s.votes_for, 'votes_against', s.votes_against,
                             'votes_abstain', s.votes_abstain)) ORDER BY s.seq), '[]')
                  FROM change_request_steps s WHERE s.request_id = c.id),
        'stale', c.state IN ('proposed', 'forwarded', 'deliberated', 'returned') AND c.kind = 'change'
                 AND p.version <> c.base_version))
    FROM change_requests c
    JOIN pledges p ON p.id = c.pledge_id
    JOIN departments d ON d.id = p.department_id
    LEFT JOIN accounts a ON a.id = c.proposed_by
    LEFT JOIN rounds r ON r.id = c.round_id
    WHERE c.id = rid
$$;

CREATE OR REPLACE FUNCTION yk_change_add_step(ctx json, rid bigint, step text, role text, comment text,
                                   votes_for int, votes_against int, votes_abstain int) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO change_request_steps (request_id, seq, step, account_id, login, role, comment, votes_for,
                                      votes_against, votes_abstain)
    VALUES ($2, (SELECT coalesce(max(s.seq), 0) + 1 FROM change_request_steps s WHERE s.request_id = $2), $3,
            ($1 ->> 'account_id')::bigint, $1 ->> 'login', $4, nullif($5, ''), $6, $7, $8)
$$;

-- A department (or a coordinator, or an admin) proposes: a new request, or
-- `resubmit` replaces the document of a returned or still open one (the chain
-- starts again, since the committee voted on what it saw).
CREATE OR REPLACE FUNCTION yk_change_propose(ctx json, code text, kind text, doc json, base_version bigint, reason text,
                                  fields json, card json, evidence json, writer_department bigint, resubmit bigint,
                                  role text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    p pledges;
    c change_requests;
    rid bigint;
    res json := yk_idem_begin(ctx);
BEGIN
    IF res IS NOT NULL THEN
        RETURN (res::jsonb || '{"replayed": true}')::json;
    END IF;
    SELECT * INTO p FROM pledges WHERE pledges.code = $2 FOR UPDATE;
    IF p.id IS NULL THEN
        RAISE EXCEPTION 'no pledge has the code %', code USING ERRCODE = 'YK404';
    END IF;
    IF writer_department IS NOT NULL AND writer_department <> p.department_id THEN
        RAISE EXCEPTION 'pledge % belongs to another department', code USING ERRCODE = 'YK403';
    END IF;
    IF p.version <> base_version THEN
        RAISE EXCEPTION 'pledge % is at version %, the proposal was based on version %; get it again and propose against it',
            code, p.version, base_version USING ERRCODE = 'YK409', DETAIL = p.version::text;
    END IF;
    IF resubmit IS NOT NULL THEN
        SELECT * INTO c FROM change_requests WHERE id = resubmit FOR UPDATE;
        IF c.id IS NULL OR c.pledge_id <> p.id THEN
            RAISE EXCEPTION 'pledge % has no change request #%', code, resubmit USING ERRCODE = 'YK404';
        END IF;
        IF c.kind <> $3 THEN
            RAISE EXCEPTION 'change request #% is a % request', resubmit, c.kind USING ERRCODE = 'YK411';
        END IF;
        IF c.state NOT IN ('proposed', 'returned', 'forwarded', 'deliberated') THEN
            RAISE EXCEPTION 'change request #% is %; only a returned or open request can be resubmitted',
                resubmit, c.state USING ERRCODE = 'YK411';
        END IF;
        UPDATE change_requests SET state = 'proposed', document = doc, base_version = $5, reason = $6,
            fields = $7, card = $8, updated_at = now()
        WHERE id = resubmit;
        rid := resubmit;
        PERFORM yk_change_add_step(ctx, rid, 'resubmit', role, reason, NULL, NULL, NULL);
    ELSE
        SELECT * INTO c FROM change_requests x
        WHERE x.pledge_id = p.id AND x.kind = $3 AND x.state IN ('proposed', 'forwarded', 'deliberated');
        IF c.id IS NOT NULL THEN
            RAISE EXCEPTION 'pledge % already has an open % request (#%, %); resubmit or withdraw that one',
                code, kind, c.id, c.state USING ERRCODE = 'YK410';
        END IF;
        INSERT INTO change_requests (pledge_id, kind, state, base_version, document, reason, fields, card,
                                     proposed_by)
        VALUES (p.id, kind, 'proposed', base_version, doc, reason, fields, card, (ctx ->> 'account_id')::bigint)
        RETURNING id INTO rid;
        PERFORM yk_change_add_step(ctx, rid, 'propose', role, reason, NULL, NULL, NULL);
    END IF;
    INSERT INTO change_request_evidence (request_id, seq, name, size, sha256, content)
    SELECT rid, (SELECT coalesce(max(seq), 0) FROM change_request_evidence WHERE request_id = rid) + e.o,
           e.v ->> 'name', (e.v ->> 'size')::bigint, decode(e.v ->> 'sha256', 'hex'), decode(e.v ->> 'content', 'base64')
    FROM json_array_elements(coalesce(evidence, '[]')) WITH ORDINALITY AS e(v, o);
    res := yk_change_json(rid);
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, code, 'accepted', 'OK',
        format('%s request #%s %s: %s', kind, rid, CASE WHEN resubmit IS NULL THEN 'proposed' ELSE 'resubmitted' END,
               (SELECT string_agg(x ->> 'item', ', ') FROM json_array_elements(card) x)),
        p.version, NULL, res);
    RETURN res;
END $$;

-- Every later step.  `doc` (approve, confirm) is the document to apply, built
-- by the daemon from the proposal and the pledge at `expected_version`, with
-- its section 5 entries added; it is applied only when the pledge is still at
-- that version.
CREATE OR REPLACE FUNCTION yk_change_step(ctx json, rid bigint, step text, comment text, votes_for int, votes_against int,
                               votes_abstain int, round_name text, doc json, expected_version bigint,
                               writer_department bigint, role text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
    c change_requests;
    p pledges;
    rnd rounds;
    applied json;
    next_state text;
    res json := yk_idem_begin(ctx);
BEGIN
    IF res IS NOT NULL THEN
        RETURN (res::jsonb || '{"replayed": true}')::json;
    END IF;
    SELECT * INTO c FROM change_requests WHERE id = rid FOR UPDATE;
    IF c.id IS NULL THEN
        RAISE EXCEPTION 'no change request #%', rid USING ERRCODE = 'YK404';
    END IF;
    SELECT * INTO p FROM pledges WHERE id = c.pledge_id;
    IF writer_department IS NOT NULL AND writer_department <> p.department_id THEN
        RAISE EXCEPTION 'change request #% is about a pledge of another department', rid USING ERRCODE = 'YK403';
    END IF;
    next_state := CASE
        WHEN step = 'forward' AND c.kind = 'change' AND c.state = 'proposed' THEN 'forwarded'
        WHEN step = 'return' AND c.state IN ('proposed', 'forwarded', 'deliberated') THEN 'returned'
        WHEN step = 'deliberate' AND c.kind = 'change' AND c.state = 'forwarded' THEN 'deliberated'
        -- a completion may have the evaluators' (citizen panel's) opinion
        -- on record before it is confirmed; it stays proposed
        WHEN step = 'deliberate' AND c.kind = 'completion' AND c.state = 'proposed' THEN 'proposed'
        WHEN step = 'approve' AND c.kind = 'change' AND c.state = 'deliberated' THEN 'approved'
        WHEN step = 'reject' AND c.kind = 'change' AND c.state IN ('forwarded', 'deliberated') THEN 'rejected'
        WHEN step = 'confirm' AND c.kind = 'completion' AND c.state = 'proposed' THEN 'confirmed'
        WHEN step = 'withdraw' AND c.state IN ('proposed', 'forwarded', 'deliberated', 'returned') THEN 'withdrawn'
    END;
    IF next_state IS NULL THEN
        RAISE EXCEPTION '% request #% is %: it cannot be %', c.kind, rid, c.state,
            CASE step WHEN 'forward' THEN 'forwarded' WHEN 'return' THEN 'returned'
                      WHEN 'deliberate' THEN 'deliberated' WHEN 'approve' THEN 'approved'
                      WHEN 'reject' THEN 'rejected' WHEN 'confirm' THEN 'confirmed'
                      ELSE 'withdrawn' END
            USING ERRCODE = 'YK411';
    END IF;
    IF step IN ('return', 'reject', 'deliberate') AND coalesce(comment, '') = '' THEN
        RAISE EXCEPTION '%', CASE step WHEN 'deliberate' THEN 'record the committee''s opinion'
                                       ELSE 'say why, in a comment' END
            USING ERRCODE = 'YK422', COLUMN = 'comment';
    END IF;
    IF step = 'confirm' THEN
        IF NOT EXISTS (SELECT 1 FROM change_request_evidence e WHERE e.request_id = rid) THEN
            RAISE EXCEPTION 'a completion is confirmed on evidence, and request #% has none: return it (yaksok change review % --return --comment TEXT) for the department to propose it again with yaksok status set % --status % --reason TEXT --evidence FILE',
                rid, rid, p.code, c.document ->> 'status'
                USING ERRCODE = 'YK422', COLUMN = 'evidence';
        END IF;
        IF round_name IS NOT NULL THEN
            SELECT * INTO rnd FROM rounds r WHERE r.name = round_name;
        ELSE
            SELECT * INTO rnd FROM rounds r WHERE r.state = 'open' ORDER BY r.as_of DESC, r.id DESC LIMIT 1;
        END IF;
        IF rnd.id IS NULL THEN
            RAISE EXCEPTION '%', CASE WHEN round_name IS NULL THEN 'no round is open; name the round with --round'
                                      ELSE format('no round %s', round_name) END
                USING ERRCODE = 'YK404';
        END IF;
    END IF;
    IF step IN ('approve', 'confirm') THEN
        IF p.version <> expected_version OR (c.kind = 'change' AND p.version <> c.base_version) THEN
            RAISE EXCEPTION 'pledge % has changed since % (version % -> %); the department must resubmit: yaksok change propose % -f FILE --resubmit %',
                p.code, CASE WHEN c.kind = 'change' THEN 'the proposal' ELSE 'it was read' END,
                c.base_version, p.version, p.code, rid
                USING ERRCODE = 'YK409', DETAIL = 'stale';
        END IF;
        -- the step's own idempotency key covers the whole step
        applied := yk_pledge_apply((ctx::jsonb - 'idem_key' - 'idem_hash')::json, doc, expected_version, false,
                                   NULL, false, NULL);
        IF applied ->> 'code' IS DISTINCT FROM p.code THEN
            RAISE EXCEPTION 'the approved document is for another pledge' USING ERRCODE = 'YK411';
        END IF;
    END IF;
    UPDATE change_requests SET state = next_state, updated_at = now(),
        applied_version = (applied ->> 'version')::bigint, round_id = rnd.id
    WHERE id = rid;
    PERFORM yk_change_add_step(ctx, rid, step, role, comment, votes_for, votes_against, votes_abstain);
    res := yk_change_json(rid);
    PERFORM yk_idem_end(ctx, res);
    PERFORM yk_audit_append(ctx, p.code, 'accepted', 'OK',
        format('%s request #%s %s%s', c.kind, rid, next_state,
               CASE WHEN rnd.id IS NOT NULL THEN ' in ' || rnd.name ELSE '' END ||
               CASE WHEN coalesce(comment, '') <> '' THEN ': ' || comment ELSE '' END),
        (applied ->> 'version')::bigint, NULL, res);
    RETURN res;
END $$;

-- What approve and confirm start from: the request, the pledge as it is, and
-- the round a completion would be confirmed in by default.
-- ... and the committee's last deliberation, which section 5 records with
-- the approval.
CREATE OR REPLACE FUNCTION yk_change_load(rid bigint)
RETURNS TABLE (kind text, state text, code text, base_version bigint, document json, reason text, current json,
               version bigint, open_round text, opinion text, votes_for int, votes_against int, votes_abstain int)
LANGUAGE sql STABLE AS $$
    SELECT c.kind, c.state, p.code, c.base_version, c.document, c.reason, v.document, p.version,
           (SELECT r.name FROM rounds r WHERE r.state = 'open' ORDER BY r.as_of DESC, r.id DESC LIMIT 1),
           d.comment, d.votes_for, d.votes_against, d.votes_abstain
    FROM change_requests c
    JOIN pledges p ON p.id = c.pledge_id
    JOIN pledge_versions v ON v.pledge_id = p.id AND v.version = p.version
    LEFT JOIN LATERAL (SELECT s.comment, s.votes_for, s.votes_against, s.votes_abstain FROM change_request_steps s
                       WHERE s.request_id = c.id AND s.step = 'deliberate' ORDER BY s.seq DESC LIMIT 1) d ON true
    WHERE c.id = rid
$$;

CREATE OR REPLACE FUNCTION yk_change_list(state text, department text, code text, kind text) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object('requests', coalesce(json_agg(yk_change_json(c.id) ORDER BY c.id), '[]'))
    FROM change_requests c
    JOIN pledges p ON p.id = c.pledge_id
    JOIN departments d ON d.id = p.department_id
    WHERE ($1 IS NULL OR c.state = $1) AND ($2 IS NULL OR d.name = $2) AND ($3 IS NULL OR p.code = $3)
      AND ($4 IS NULL OR c.kind = $4)
$$;
