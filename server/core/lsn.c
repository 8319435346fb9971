#include "lsn.h"

#include <string.h>

#include "log.h"
#include "req.h"
#include "srv.h"

void lsn_init(lsn_t *l, db_pool_t *primary, db_route_t *route)
{
	memset(l, 0, sizeof(*l));
	l->primary = primary;
	l->route = route;
}

bool lsn_wanted(const lsn_t *l, const req_t *r)
{
	/* a login made a session and a logout ended one: the next read must
	 * see that too */
	bool changes = r->info && (r->info->writes || (r->msg && (r->msg->body_case == YK__REQUEST__BODY_LOGIN ||
								    r->msg->body_case == YK__REQUEST__BODY_LOGOUT)));
	return changes && db_route_has_replica(l->route) && r->resp.status == YK__CODE__OK && !r->lsn_stamped;
}

static void ask(lsn_t *l);

static void on_position(db_job_t *job, db_outcome_t outcome, const PGresult *res)
{
	lsn_t *l = job->data;
	l->out = false;
	uint64_t lsn = 0;
	if (outcome == DB_DONE && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		lsn = db_lsn_parse(PQgetvalue(res, 0, 0));
	if (l->route && lsn)
		db_route_acked(l->route, lsn);
	else if (l->route)
		db_route_acked_unknown(l->route);
	req_t *r = l->asked;
	l->asked = NULL;
	while (r) {
		req_t *next = r->lsn_next;
		r->lsn_next = NULL;
		r->lsn_stamped = true;
		if (lsn) {
			r->resp.has_commit_lsn = 1;
			r->resp.commit_lsn = lsn;
			l->stamps++;
		}
		req_finish(r);
		r = next;
	}
	if (l->waiting)
		ask(l);
}

static void ask(lsn_t *l)
{
	l->asked = l->waiting;
	l->waiting = NULL;
	l->out = true;
	l->questions++;
	memset(&l->job, 0, sizeof(l->job));
	l->job.stmt = SQL_PRIMARY_LSN;
	l->job.cb = on_position;
	l->job.data = l;
	db_pool_submit_urgent(l->primary, &l->job);
}

void lsn_stamp(lsn_t *l, req_t *r)
{
	r->lsn_next = l->waiting;
	l->waiting = r;
	if (!l->out)
		ask(l);
}
