-- Departments, accounts and login sessions.
-- Text is stored NFC-normalised (the daemon normalises; the CHECKs make sure).

CREATE TABLE departments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE
                CHECK (length(name) BETWEEN 1 AND 100 AND name IS NFC NORMALIZED AND name !~ '^\s|\s$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login          text NOT NULL UNIQUE CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,31}$'),
    role           text NOT NULL
                   CHECK (role IN ('admin', 'coordinator', 'department', 'evaluator', 'approver', 'viewer')),
    department_id  bigint REFERENCES departments (id),
    password_hash  text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- a department account writes for exactly one department
    CONSTRAINT accounts_department_role CHECK (role <> 'department' OR department_id IS NOT NULL)
);

-- Only the SHA-256 of a token is kept: a stolen table yields no usable token.
CREATE TABLE sessions (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id  bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    peer        text
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
