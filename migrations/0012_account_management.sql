-- Accounts an admin can manage: a disabled account may not log in (its
-- sessions are ended when it is disabled).  yk_user_change and the login
-- statement (server/core/sql.c) use it.
ALTER TABLE accounts ADD COLUMN disabled boolean NOT NULL DEFAULT false;
