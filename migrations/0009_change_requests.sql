-- Changing a promise (사업변경) and confirming its completion.  A department
-- may not change, shelve or drop its pledge on its own: it proposes a new
-- version with its reasons and evidence; the coordinator forwards or returns
-- it, the committee deliberates, the approver (the mayor's office) approves —
-- only then is the version applied, and section 5 records it — or rejects.
-- A department's completion is a request the coordinator confirms in a round.
--
--   change:      proposed -forward-> forwarded -deliberate-> deliberated -approve-> approved
--                proposed|forwarded|deliberated -return-> returned -resubmit-> proposed
--                forwarded|deliberated -reject-> rejected
--   completion:  proposed -confirm-> confirmed;  proposed -return-> returned
--   either:      any open or returned request -withdraw-> withdrawn

CREATE TABLE change_requests (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pledge_id       bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('change', 'completion')),
    state           text NOT NULL CHECK (state IN ('proposed', 'returned', 'forwarded', 'deliberated', 'approved',
                                                   'rejected', 'confirmed', 'withdrawn')),
    base_version    bigint NOT NULL,
    -- change: the whole proposed document; completion: {status, progress_pct}
    document        json NOT NULL,
    reason          text NOT NULL CHECK (reason <> ''),
    fields          json NOT NULL,  -- ["path: old -> new", ...]
    card            json NOT NULL,  -- [{item, before, after}, ...] in the card's terms
    proposed_by     bigint REFERENCES accounts (id),
    proposed_at     timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    applied_version bigint,
    round_id        bigint REFERENCES rounds (id),
    FOREIGN KEY (pledge_id, base_version) REFERENCES pledge_versions (pledge_id, version),
    CONSTRAINT change_requests_applied CHECK ((state IN ('approved', 'confirmed')) = (applied_version IS NOT NULL)),
    CONSTRAINT change_requests_confirmed_round CHECK ((state = 'confirmed') = (round_id IS NOT NULL)),
    CONSTRAINT change_requests_kind_state CHECK (
        (kind = 'change' AND state <> 'confirmed') OR
        (kind = 'completion' AND state IN ('proposed', 'returned', 'confirmed', 'withdrawn')))
);
-- one request of each kind in the chain per pledge at a time
CREATE UNIQUE INDEX change_requests_one_open ON change_requests (pledge_id, kind)
    WHERE state IN ('proposed', 'forwarded', 'deliberated');
CREATE INDEX change_requests_state ON change_requests (state, id);

CREATE TABLE change_request_steps (
    request_id    bigint NOT NULL REFERENCES change_requests (id) ON DELETE CASCADE,
    seq           int NOT NULL,
    step          text NOT NULL CHECK (step IN ('propose', 'resubmit', 'forward', 'return', 'deliberate', 'approve',
                                                'reject', 'confirm', 'withdraw')),
    account_id    bigint REFERENCES accounts (id),
    login         text NOT NULL,
    role          text NOT NULL,
    at            timestamptz NOT NULL DEFAULT now(),
    comment       text,
    votes_for     int CHECK (votes_for >= 0),
    votes_against int CHECK (votes_against >= 0),
    votes_abstain int CHECK (votes_abstain >= 0),
    PRIMARY KEY (request_id, seq),
    CONSTRAINT change_request_steps_comment CHECK (step NOT IN ('return', 'reject', 'deliberate')
                                                   OR coalesce(comment, '') <> '')
);

CREATE TABLE change_request_evidence (
    request_id  bigint NOT NULL REFERENCES change_requests (id) ON DELETE CASCADE,
    seq         int NOT NULL,
    name        text NOT NULL CHECK (name <> '' AND name !~ '[/\\]'),
    size        bigint NOT NULL,
    sha256      bytea NOT NULL CHECK (length(sha256) = 32),
    content     bytea NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, seq),
    CONSTRAINT change_request_evidence_size CHECK (size = length(content))
);

