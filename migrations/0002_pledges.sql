-- The pledge document (docs/document-format.md) as relational tables.
-- Every section has its own table keyed by (pledge, position); PostgreSQL itself
-- refuses what the spec forbids: bad months/dates/periods, negative amounts,
-- more executed than secured, percentages outside 0-100, more than 2 decimals,
-- unknown statuses and sources, a `changed` set without its reason.

CREATE DOMAIN yk_month AS text CHECK (VALUE ~ '^\d{4}-(0[1-9]|1[0-2])$');
CREATE DOMAIN yk_month_or_date AS text
    CHECK (VALUE ~ '^\d{4}-(0[1-9]|1[0-2])$' OR yk_is_date(VALUE));
CREATE DOMAIN yk_period AS text
    CHECK (VALUE ~ '^\d{4}$' OR VALUE ~ '^\d{4}-H[12]$' OR VALUE ~ '^\d{4}-Q[1-4]$'
           OR VALUE ~ '^\d{4}-(0[1-9]|1[0-2])\+$');
CREATE DOMAIN yk_amount AS numeric CHECK (VALUE >= 0 AND scale(VALUE) <= 2);
CREATE DOMAIN yk_pct AS numeric CHECK (VALUE >= 0 AND VALUE <= 100 AND scale(VALUE) <= 2);
CREATE DOMAIN yk_text AS text CHECK (VALUE IS NFC NORMALIZED);

CREATE TABLE pledges (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code               text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{2,32}$'),
    term               yk_text,
    title              yk_text NOT NULL CHECK (title <> ''),
    category           yk_text,
    area               yk_text,
    parent_code        text REFERENCES pledges (code) ON UPDATE CASCADE,
    department_id      bigint NOT NULL REFERENCES departments (id),
    status             text NOT NULL CHECK (status IN ('in_progress', 'completed', 'completed_ongoing', 'partial',
                                                       'delayed', 'on_hold', 'dropped', 'not_started')),
    progress_pct       yk_pct NOT NULL,
    target_month       yk_month,
    remarks            yk_text,
    as_of              date,
    reporting_from     yk_month,
    overview_start     yk_month,
    overview_end       yk_month,
    overview_end_null  boolean NOT NULL DEFAULT false,
    overview_target    yk_text,
    budget_unit        yk_text,
    progress_from      yk_month,
    progress_to        date,
    version            bigint NOT NULL CHECK (version >= 1),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by         bigint REFERENCES accounts (id),
    CONSTRAINT pledges_parent_not_self CHECK (parent_code <> code),
    CONSTRAINT pledges_overview_end_null CHECK (NOT overview_end_null OR overview_end IS NULL),
    CONSTRAINT pledges_overview_period CHECK (overview_end IS NULL OR overview_start IS NULL
                                              OR overview_end >= overview_start)
);
CREATE INDEX pledges_department ON pledges (department_id);

-- 1. 사업개요 / 사업내용
CREATE TABLE pledge_contents (
    pledge_id  bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq        int NOT NULL,
    text       yk_text NOT NULL,
    PRIMARY KEY (pledge_id, seq)
);

-- 2. 예산투자현황 및 투자계획
CREATE TABLE budget_periods (
    pledge_id  bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq        int NOT NULL,
    period     yk_period NOT NULL,
    PRIMARY KEY (pledge_id, seq),
    UNIQUE (pledge_id, period)
);

CREATE TABLE budget_sources (
    pledge_id  bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    source     text NOT NULL CHECK (source IN ('national', 'provincial', 'city', 'private', 'other')),
    seq        int NOT NULL,
    prior      yk_amount,
    PRIMARY KEY (pledge_id, source)
);

CREATE TABLE budget_amounts (
    pledge_id  bigint NOT NULL,
    source     text NOT NULL,
    period     text NOT NULL,
    seq        int NOT NULL,
    secured    yk_amount,
    executed   yk_amount,
    planned    yk_amount,
    PRIMARY KEY (pledge_id, source, period),
    FOREIGN KEY (pledge_id, source) REFERENCES budget_sources (pledge_id, source) ON DELETE CASCADE,
    -- every period key appears in budget.periods
    FOREIGN KEY (pledge_id, period) REFERENCES budget_periods (pledge_id, period) ON DELETE CASCADE,
    CONSTRAINT budget_amounts_executed_le_secured CHECK (executed IS NULL OR executed <= coalesce(secured, 0))
);

-- 3. 연도별 성과지표
CREATE TABLE indicator_sets (
    pledge_id      bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq            int NOT NULL,
    basis          text CHECK (basis IN ('original', 'changed')),
    change_reason  yk_text,
    PRIMARY KEY (pledge_id, seq),
    CONSTRAINT indicator_sets_changed_needs_reason
        CHECK (basis IS DISTINCT FROM 'changed' OR coalesce(change_reason, '') <> '')
);

CREATE TABLE indicator_set_periods (
    pledge_id  bigint NOT NULL,
    set_seq    int NOT NULL,
    seq        int NOT NULL,
    period     yk_period NOT NULL,
    PRIMARY KEY (pledge_id, set_seq, seq),
    UNIQUE (pledge_id, set_seq, period),
    FOREIGN KEY (pledge_id, set_seq) REFERENCES indicator_sets (pledge_id, seq) ON DELETE CASCADE
);

CREATE TABLE indicators (
    pledge_id  bigint NOT NULL,
    set_seq    int NOT NULL,
    seq        int NOT NULL,
    name       yk_text NOT NULL CHECK (name <> ''),
    unit       yk_text,
    PRIMARY KEY (pledge_id, set_seq, seq),
    FOREIGN KEY (pledge_id, set_seq) REFERENCES indicator_sets (pledge_id, seq) ON DELETE CASCADE
);

-- A target or actual cell: a number or a short text ("운영", "-"), never both.
CREATE TABLE indicator_values (
    pledge_id  bigint NOT NULL,
    set_seq    int NOT NULL,
    ind_seq    int NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('target', 'actual')),
    period     text NOT NULL,
    seq        int NOT NULL,
    num        numeric,
    txt        yk_text,
    PRIMARY KEY (pledge_id, set_seq, ind_seq, kind, period),
    FOREIGN KEY (pledge_id, set_seq, ind_seq) REFERENCES indicators (pledge_id, set_seq, seq) ON DELETE CASCADE,
    -- every period key is one of the set's periods
    FOREIGN KEY (pledge_id, set_seq, period) REFERENCES indicator_set_periods (pledge_id, set_seq, period)
        ON DELETE CASCADE,
    CONSTRAINT indicator_values_one_kind CHECK ((num IS NULL) <> (txt IS NULL))
);

CREATE TABLE cumulative_progress (
    pledge_id  bigint NOT NULL,
    set_seq    int NOT NULL,
    period     text NOT NULL,
    seq        int NOT NULL,
    target     yk_pct,
    current    yk_pct,
    PRIMARY KEY (pledge_id, set_seq, period),
    FOREIGN KEY (pledge_id, set_seq, period) REFERENCES indicator_set_periods (pledge_id, set_seq, period)
        ON DELETE CASCADE
);

-- 4. 성과지표별 추진현황
CREATE TABLE progress_groups (
    pledge_id  bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq        int NOT NULL,
    indicator  yk_text NOT NULL,
    PRIMARY KEY (pledge_id, seq)
);

CREATE TABLE activities (
    pledge_id  bigint NOT NULL,
    group_seq  int NOT NULL,
    seq        int NOT NULL,
    title      yk_text NOT NULL,
    PRIMARY KEY (pledge_id, group_seq, seq),
    FOREIGN KEY (pledge_id, group_seq) REFERENCES progress_groups (pledge_id, seq) ON DELETE CASCADE
);

-- An item (sub_seq = 0) or one of its sub-items (sub_seq > 0): two levels, no more.
CREATE TABLE activity_items (
    pledge_id   bigint NOT NULL,
    group_seq   int NOT NULL,
    act_seq     int NOT NULL,
    seq         int NOT NULL,
    sub_seq     int NOT NULL CHECK (sub_seq >= 0),
    parent_sub  int GENERATED ALWAYS AS (CASE WHEN sub_seq > 0 THEN 0 END) STORED,
    label       yk_text,
    text        yk_text,
    date        yk_month_or_date,
    until       yk_month_or_date,
    dates       date[],
    note        yk_text,
    PRIMARY KEY (pledge_id, group_seq, act_seq, seq, sub_seq),
    FOREIGN KEY (pledge_id, group_seq, act_seq) REFERENCES activities (pledge_id, group_seq, seq) ON DELETE CASCADE,
    FOREIGN KEY (pledge_id, group_seq, act_seq, seq, parent_sub)
        REFERENCES activity_items (pledge_id, group_seq, act_seq, seq, sub_seq) ON DELETE CASCADE,
    CONSTRAINT activity_items_until_needs_date CHECK (until IS NULL OR date IS NOT NULL),
    CONSTRAINT activity_items_date_or_dates CHECK (dates IS NULL OR date IS NULL),
    CONSTRAINT activity_items_until_after CHECK (until IS NULL OR until >= date)
);

-- 5. 사업변경내역
CREATE TABLE changes (
    pledge_id  bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq        int NOT NULL,
    date       date,
    item       yk_text,
    before     yk_text,
    after      yk_text,
    reason     yk_text,
    PRIMARY KEY (pledge_id, seq)
);

-- 6. 평가결과 개선 및 제안사항
CREATE TABLE evaluations (
    pledge_id   bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq         int NOT NULL,
    round       yk_period,
    committee   yk_text,
    suggestion  yk_text NOT NULL,
    PRIMARY KEY (pledge_id, seq)
);

CREATE TABLE evaluation_actions (
    pledge_id  bigint NOT NULL,
    eval_seq   int NOT NULL,
    seq        int NOT NULL,
    text       yk_text NOT NULL,
    PRIMARY KEY (pledge_id, eval_seq, seq),
    FOREIGN KEY (pledge_id, eval_seq) REFERENCES evaluations (pledge_id, seq) ON DELETE CASCADE
);

CREATE TABLE evaluation_action_items (
    pledge_id   bigint NOT NULL,
    eval_seq    int NOT NULL,
    act_seq     int NOT NULL,
    seq         int NOT NULL,
    sub_seq     int NOT NULL CHECK (sub_seq >= 0),
    parent_sub  int GENERATED ALWAYS AS (CASE WHEN sub_seq > 0 THEN 0 END) STORED,
    label       yk_text,
    text        yk_text,
    date        yk_month_or_date,
    until       yk_month_or_date,
    dates       date[],
    note        yk_text,
    PRIMARY KEY (pledge_id, eval_seq, act_seq, seq, sub_seq),
    FOREIGN KEY (pledge_id, eval_seq, act_seq) REFERENCES evaluation_actions (pledge_id, eval_seq, seq)
        ON DELETE CASCADE,
    FOREIGN KEY (pledge_id, eval_seq, act_seq, seq, parent_sub)
        REFERENCES evaluation_action_items (pledge_id, eval_seq, act_seq, seq, sub_seq) ON DELETE CASCADE,
    CONSTRAINT evaluation_action_items_until_needs_date CHECK (until IS NULL OR date IS NOT NULL),
    CONSTRAINT evaluation_action_items_date_or_dates CHECK (dates IS NULL OR date IS NULL)
);

-- 7. 문제점 및 대책
CREATE TABLE problems (
    pledge_id       bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq             int NOT NULL,
    problem         yk_text NOT NULL,
    countermeasure  yk_text,
    PRIMARY KEY (pledge_id, seq)
);

-- 8. 향후추진계획
CREATE TABLE plans (
    pledge_id   bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq         int NOT NULL,
    text        yk_text NOT NULL,
    from_month  yk_month NOT NULL,
    to_month    yk_month,
    done        boolean,
    PRIMARY KEY (pledge_id, seq),
    CONSTRAINT plans_to_after_from CHECK (to_month IS NULL OR to_month >= from_month)
);

-- 정책실명제
CREATE TABLE officials (
    pledge_id   bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    seq         int NOT NULL,
    department  yk_text,
    position    yk_text,
    name        yk_text NOT NULL,
    phone       yk_text,
    PRIMARY KEY (pledge_id, seq)
);

-- Every accepted version of every pledge, as the document it was, so that a
-- pledge can be read back as it stood at any moment.
CREATE TABLE pledge_versions (
    pledge_id   bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    version     bigint NOT NULL,
    document    json NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  bigint REFERENCES accounts (id),
    PRIMARY KEY (pledge_id, version)
);
