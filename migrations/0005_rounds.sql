-- Reporting rounds: the coordinator opens a round (2021-Q1, the date it
-- reports on, the date it is due), departments submit their pledges, the
-- coordinator returns or approves each submission; an approval freezes the
-- submitted version as the round's snapshot.

CREATE TABLE rounds (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^\d{4}(-(Q[1-4]|H[12]))?$'),
    as_of       date NOT NULL,
    due         date NOT NULL,
    state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    opened_by   bigint REFERENCES accounts (id),
    opened_at   timestamptz NOT NULL DEFAULT now(),
    closed_by   bigint REFERENCES accounts (id),
    closed_at   timestamptz,
    CONSTRAINT rounds_due_after_as_of CHECK (due >= as_of),
    CONSTRAINT rounds_closed CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);

CREATE TABLE submissions (
    round_id      bigint NOT NULL REFERENCES rounds (id),
    pledge_id     bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    state         text NOT NULL CHECK (state IN ('submitted', 'returned', 'approved')),
    version       bigint NOT NULL,
    submitted_at  timestamptz NOT NULL,
    submitted_by  bigint REFERENCES accounts (id),
    late          boolean NOT NULL,
    reviewed_at   timestamptz,
    reviewed_by   bigint REFERENCES accounts (id),
    comment       text,
    snapshot      json,
    PRIMARY KEY (round_id, pledge_id),
    FOREIGN KEY (pledge_id, version) REFERENCES pledge_versions (pledge_id, version),
    CONSTRAINT submissions_snapshot CHECK ((state = 'approved') = (snapshot IS NOT NULL)),
    CONSTRAINT submissions_return_comment CHECK (state <> 'returned' OR coalesce(comment, '') <> '')
);

