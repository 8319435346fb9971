/* Reading what a write function returned (its result json, new or replayed
 * for a repeated idempotency key) and one-value results, for the handlers'
 * reply_* functions. */
#ifndef YK_RESULT_H
#define YK_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "req.h"

/* A string (or number) field of a result tree, copied into the request's
 * arena; NULL when absent. */
char *result_str(req_t *r, const doc_node_t *result, const char *key);
/* A number field; 0 when absent. */
int64_t result_int(const doc_node_t *result, const char *key);
/* A bool field; false when absent. */
bool result_bool(const doc_node_t *result, const char *key);
/* The json of a one-row, one-column result as a message of `desc`; NULL after
 * failing the request ("`what` could not be read back"). */
ProtobufCMessage *result_message(req_t *r, const PGresult *res, const ProtobufCMessageDescriptor *desc,
				 const char *what);

#endif
