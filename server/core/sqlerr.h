/* Turning a failed statement into a protocol status, a message a person can
 * act on, and field violations where the database names the field. */
#ifndef YK_SQLERR_H
#define YK_SQLERR_H

#include <libpq-fe.h>

#include "yaksok.pb-c.h"
#include "viol.h"

typedef struct {
	Yk__Reason reason;  /* and with it the status (common/reason.h) */
	const char *message;
} sqlerr_t;

/* Map res (a PGRES_FATAL_ERROR result); violations go to v. */
sqlerr_t sqlerr_map(arena_t *a, const PGresult *res, viol_list_t *v);
/* The same from the error's fields as a statement that caught it reports
 * them (GET STACKED DIAGNOSTICS); each "" when absent. */
sqlerr_t sqlerr_map_fields(arena_t *a, const char *state, const char *primary, const char *constraint,
			   const char *column, const char *datatype, viol_list_t *v);

#endif
