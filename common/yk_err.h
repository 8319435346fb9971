/* Error codes shared by every module: 0 is success, a negative YK_E* is a failure.
 * A function that can fail returns int and is marked YK_MUST_CHECK. */
#ifndef YK_ERR_H
#define YK_ERR_H

#define YK_MUST_CHECK __attribute__((warn_unused_result))

enum {
	YK_OK = 0,
	YK_ENOMEM = -1,   /* allocation failed or a per-request cap was hit */
	YK_EINVAL = -2,   /* malformed input */
	YK_ETOOBIG = -3,  /* a length over its configured maximum */
	YK_EIO = -4,      /* a socket or file failed */
	YK_EPROTO = -5,   /* the peer broke the protocol */
	YK_ENOTFOUND = -6,
	YK_ECLOSED = -7,  /* the peer or the connection is gone */
};

const char *yk_strerror(int err);

#endif
