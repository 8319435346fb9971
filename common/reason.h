/* A failed answer's reason (proto/yaksok.proto, enum Reason): the status each
 * reason belongs to and its wire name.  The daemon fails a request by its
 * reason and takes the status from here, so a reason never travels with a
 * status it does not belong to; the CLI prints the name beside the message. */
#ifndef YK_REASON_H
#define YK_REASON_H

#include "yaksok.pb-c.h"

/* The status a reason is answered with (INTERNAL for a value this build does
 * not know). */
Yk__Code yk_reason_code(Yk__Reason reason);
/* The name proto/yaksok.proto gives it ("REASON_VERSION_CONFLICT"), which is
 * also its name in JSON; "REASON_UNSPECIFIED" for a value this build does not
 * know. */
const char *yk_reason_name(Yk__Reason reason);

#endif
