#include "yk_err.h"

const char *yk_strerror(int err)
{
	switch (err) {
	case YK_OK: return "ok";
	case YK_ENOMEM: return "out of memory";
	case YK_EINVAL: return "invalid input";
	case YK_ETOOBIG: return "too large";
	case YK_EIO: return "input/output error";
	case YK_EPROTO: return "protocol error";
	case YK_ENOTFOUND: return "not found";
	case YK_ECLOSED: return "connection closed";
	}
	return "unknown error";
}
