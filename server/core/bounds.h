/* The daemon's fixed limits, each named and explained here, once.  What an
 * operator may want to tune is in the option table instead (core/config.c,
 * `yaksokd --help`); what the document format allows (text lengths, periods)
 * is a rule of the format, in rules/pledge_check.c. */
#ifndef YK_BOUNDS_H
#define YK_BOUNDS_H

/* Retries of confirming a completion or approving a change whose pledge
 * moved (another writer) between loading the request and applying it.
 * Eight losses in a row mean a pledge under a storm of writes; the client
 * then hears FAILED_PRECONDITION.  (Quick updates never retry: they change
 * rows under the pledge's lock, functions/progress.sql.) */
#define LIMIT_STEP_ATTEMPTS 8

/* Writes committed together in one statement (core/gcommit.c). */
#define LIMIT_GROUP_MAX 64
/* ... and at most this much of their text (whole cards ride in the groups
 * too, up to --max-frame each): a group that would pass it closes, and the
 * rest go in the next.  A single write larger than this still goes, alone. */
#define LIMIT_GROUP_BYTES (8u << 20)
/* Pledges and sessions confirmed by one freshness query (core/fresh.c):
 * enough to keep the query's parameters small; the rest wait one more turn. */
#define LIMIT_FRESH_BATCH 1024

/* A change proposal's field-by-field diff lists at most this many fields
 * (then "…and N more"); evidence files per proposal. */
#define LIMIT_CHANGE_FIELDS 200
#define LIMIT_EVIDENCE_FILES 20
/* Changed fields shown per entry of `history`. */
#define LIMIT_HISTORY_CHANGES 20
/* Entries of `history` per answer: by default, and at most.  Each entry's
 * summary parses its two documents, so a page, not the pledge's whole life,
 * decides what one answer costs. */
#define LIMIT_HISTORY_PAGE 50
#define LIMIT_HISTORY_PAGE_MAX 1000
/* ... and a page ends early where its entries' documents pass this many
 * bytes (the answer says that older entries exist): large cards make short
 * pages, not a daemon holding a thousand of them.  Each entry's documents are
 * parsed in memory of their own, freed before the next. */
#define LIMIT_HISTORY_PAGE_BYTES (32u << 20)
/* An export comes in pages: at most this many pledges each (the default,
 * and the most a client may ask for) ... */
#define LIMIT_EXPORT_PAGE 100
/* ... ending early once its documents (with their derived figures) pass
 * this many bytes, so that the daemon's memory for an export does not grow
 * with the city: the client asks for the next page after the last code. */
#define LIMIT_EXPORT_PAGE_BYTES (32u << 20)
/* What one page may use in all, past the byte bound above (a single card
 * can be large): the request fails rather than the daemon growing. */
#define LIMIT_EXPORT_BYTES (128u << 20)

/* Output a connection may leave unread before it has logged in (Hello,
 * Login and ServerStatus answers are small): a stranger pipelining requests
 * without reading pins no more than this, whatever --send-buffer says. */
#define LIMIT_PRELOGIN_SEND_BUFFER (64 * 1024)

/* Scrapes of --metrics-listen served at once; more are closed at once. */
#define LIMIT_METRICS_CONNS 16

/* Ranges --trusted-addrs may name. */
#define LIMIT_TRUSTED_RANGES 32

/* Logins from an address or name with recent failures wait behind all
 * others, at most this many at once; more are answered "busy" at once. */
#define LIMIT_AUTH_LOW_QUEUE 64

/* Passwords shorter than this are refused when an account is made. */
#define LIMIT_PASSWORD_MIN 8
/* Failed logins: after LIMIT_LOGIN_FAILS_PER_PAIR failures of one login name
 * from one address (or LIMIT_LOGIN_FAILS_PER_PEER from one address, whatever
 * the names) within the window, that pair (address) waits, starting at the
 * first lock time and doubling up to the longest; a success clears the
 * pair.  By pair, not by name: strangers guessing an account's password
 * from elsewhere slow themselves, not its owner. */
#define LIMIT_LOGIN_FAILS_PER_PAIR 5
#define LIMIT_LOGIN_FAILS_PER_PEER 50
#define LIMIT_LOGIN_WINDOW_MS (15 * 60 * 1000)
#define LIMIT_LOGIN_LOCK_MS (60 * 1000)
#define LIMIT_LOGIN_LOCK_MAX_MS (15 * 60 * 1000)

/* Housekeeping (expired idempotency keys and sessions): first a few seconds
 * after start, then every ten minutes. */
#define LIMIT_HOUSEKEEPING_FIRST_MS 5000
#define LIMIT_HOUSEKEEPING_EVERY_MS (10 * 60 * 1000)
/* Versions yk_figures_refresh figures in one statement (core/figures.c):
 * some 0.5 ms each, so that a pass holds a pool connection for tens of
 * milliseconds, not seconds, while a backlog (a city loaded at once) is
 * worked through pass after pass. */
#define LIMIT_FIGURES_BATCH 100
/* Connections the kernel may queue before yaksokd accepts them (the
 * kernel caps it at net.core.somaxconn). */
#define LIMIT_LISTEN_BACKLOG 511

/* --db-replica given more than once: the streaming replicas a daemon reads
 * from (each has a pool of --db-pool connections). */
#define LIMIT_REPLICAS 8

#endif
