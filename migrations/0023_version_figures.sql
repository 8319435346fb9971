-- What `yaksok stats` needs of one version's document, worked out once
-- (yk_figures_refresh, functions/city.sql, which the daemon runs in the
-- background) instead of at every call: stats parsed every card of the city
-- whole at each call -- 18,000 cards took it five to six seconds.  Kept for
-- the versions someone counts (each pledge's current one, and the approved
-- ones); what is missing stats works out from the document itself, with the
-- same functions.  Nothing here depends on the day: the figures that do
-- (a period past or not) are worked out from these rows at each call.

-- A version's own fields, as its document has them.
CREATE TABLE version_figures (
    pledge_id     bigint NOT NULL,
    version       bigint NOT NULL,
    code          text,
    title         text,
    department    text,
    status        text,
    progress_pct  numeric,
    target_month  text,
    as_of         date,
    area          text,
    lag_reason    text,
    overdue_from  date,          -- overdue from this day on (yk_overdue_from)
    PRIMARY KEY (pledge_id, version),
    FOREIGN KEY (pledge_id, version) REFERENCES pledge_versions (pledge_id, version) ON DELETE CASCADE
);

-- Its budget's figures per source (yk_doc_money), for a version with an
-- as_of: which periods are past is then fixed.  A card without one is
-- figured from its document at each call (stats takes today for it).
CREATE TABLE version_money (
    pledge_id      bigint NOT NULL,
    version        bigint NOT NULL,
    source         text NOT NULL,
    secured        numeric,
    executed       numeric,
    planned        numeric,
    secured_past   numeric,
    executed_past  numeric,
    required       numeric,
    secured_all    numeric,
    PRIMARY KEY (pledge_id, version, source),
    FOREIGN KEY (pledge_id, version) REFERENCES version_figures (pledge_id, version) ON DELETE CASCADE
);

-- Its indicators' 연차별 목표달성, per year.
CREATE TABLE version_targets (
    pledge_id  bigint NOT NULL,
    version    bigint NOT NULL,
    year       text NOT NULL,
    indicator  text,
    met        boolean,
    shortfall  text,
    FOREIGN KEY (pledge_id, version) REFERENCES version_figures (pledge_id, version) ON DELETE CASCADE
);
CREATE INDEX version_targets_version ON version_targets (pledge_id, version, year);

-- A source's 소요예산 is worked out with its other figures by yk_doc_money.
DROP FUNCTION IF EXISTS yk_doc_budget_required(jsonb);

-- A year's 연차별 목표달성 comes from yk_doc_targets (every year at once) and
-- the pledges that cannot be summarised from yk_unsummarisable (the whole
-- city in one pass).
DROP FUNCTION IF EXISTS yk_doc_year_targets(jsonb, int);
DROP FUNCTION IF EXISTS yk_pledge_unsummarisable(bigint);
