#include "reason.h"

#include <stddef.h>

/* Each reason's status, by the hundreds' ranges of proto/yaksok.proto: the
 * tens digit names the status, so a reason added to a range needs no entry. */
static const Yk__Code by_tens[] = {
	YK__CODE__INVALID_ARGUMENT,   /* 1-9 */
	YK__CODE__NOT_FOUND,          /* 10-19 */
	YK__CODE__ALREADY_EXISTS,     /* 20-29 */
	YK__CODE__PERMISSION_DENIED,  /* 30-39 */
	YK__CODE__RESOURCE_EXHAUSTED, /* 40-49 */
	YK__CODE__FAILED_PRECONDITION,/* 50-59 */
	YK__CODE__INTERNAL,           /* 60-69 */
	YK__CODE__UNAVAILABLE,        /* 70-79 */
	YK__CODE__UNAUTHENTICATED,    /* 80-89 */
};

Yk__Code yk_reason_code(Yk__Reason reason)
{
	if (reason <= 0)
		return YK__CODE__INTERNAL;
	size_t tens = (size_t)reason / 10;
	return tens < sizeof(by_tens) / sizeof(by_tens[0]) ? by_tens[tens] : YK__CODE__INTERNAL;
}

const char *yk_reason_name(Yk__Reason reason)
{
	const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(&yk__reason__descriptor, (int)reason);
	return v ? v->name : "REASON_UNSPECIFIED";
}
