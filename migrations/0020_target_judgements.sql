-- 연차별 목표달성 by judgement: a coordinator records whether a pledge met a
-- year's target, with the reason (yk_target_judge, functions/rounds.sql);
-- stats count it in place of what the indicators say.
CREATE TABLE target_judgements (
    pledge_id  bigint NOT NULL REFERENCES pledges (id) ON DELETE CASCADE,
    year       int NOT NULL CHECK (year BETWEEN 1000 AND 9999),
    met        boolean NOT NULL,
    reason     yk_text NOT NULL CHECK (btrim(reason) <> ''),
    judged_by  bigint NOT NULL REFERENCES accounts (id),
    judged_at  timestamptz NOT NULL,
    PRIMARY KEY (pledge_id, year)
);
