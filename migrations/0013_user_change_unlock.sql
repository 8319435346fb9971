-- yk_user_change gains `unlock` (an admin clears the failed-login counts of
-- an account, which the daemons keep in memory, and the audit trail says
-- so): its earlier signature goes, the current one is in
-- functions/accounts.sql.
DROP FUNCTION IF EXISTS yk_user_change(json, text, text, boolean, boolean);
