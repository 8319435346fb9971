#include "result.h"

#include <stdlib.h>

char *result_str(req_t *r, const doc_node_t *result, const char *key)
{
	const doc_node_t *n = doc_get(result, key);
	return n && (n->type == DOC_STR || n->type == DOC_NUM) ? arena_strdup(r->arena, n->s) : NULL;
}

int64_t result_int(const doc_node_t *result, const char *key)
{
	const doc_node_t *n = doc_get(result, key);
	return n && n->type == DOC_NUM ? strtoll(n->s, NULL, 10) : 0;
}

bool result_bool(const doc_node_t *result, const char *key)
{
	const doc_node_t *n = doc_get(result, key);
	return n && n->type == DOC_BOOL && n->b;
}

ProtobufCMessage *result_message(req_t *r, const PGresult *res, const ProtobufCMessageDescriptor *desc, const char *what)
{
	bool one = PQntuples(res) == 1 && !PQgetisnull(res, 0, SQL_COL_ONE);
	return req_stored(r, one ? PQgetvalue(res, 0, SQL_COL_ONE) : NULL, one ? (size_t)PQgetlength(res, 0, SQL_COL_ONE) : 0,
			  desc, what, NULL);
}
