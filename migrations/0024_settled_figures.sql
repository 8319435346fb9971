-- yk_figures_refresh takes how long a pledge's current version must have
-- been current before it is figured (functions/city.sql): under a stream of
-- writes every pass found each written pledge's new version and figured it,
-- only for the next write to make it useless -- scripts/bench's PROGRESS
-- through the daemon fell from about 1,500 to about 1,000 writes a second.
DROP FUNCTION IF EXISTS yk_figures_refresh(int);
