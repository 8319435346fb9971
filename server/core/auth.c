#include "auth.h"

#include <string.h>

#include "bounds.h"
#include "log.h"

static void run_next(auth_t *a);

static void work(uv_work_t *w)
{
	auth_job_t *j = w->data;
	if (j->verify)
		j->ok = crypto_pwhash_str_verify(j->hash, j->password, strlen(j->password)) == 0;
	else
		j->ok = crypto_pwhash_str(j->hash, j->password, strlen(j->password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
					  crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
	sodium_memzero(j->password, sizeof(j->password));
}

static void after_work(uv_work_t *w, int status)
{
	auth_job_t *j = w->data;
	auth_t *owner = j->owner;
	owner->running--;
	if (status)
		j->ok = false;
	j->cb(j);
	run_next(owner);
}

/* The next job: the plain line first. */
static auth_job_t *take(auth_t *a)
{
	auth_job_t *j = a->head;
	if (j) {
		a->head = j->next;
		if (!a->head)
			a->tail = NULL;
	} else if ((j = a->low_head)) {
		a->low_head = j->next;
		if (!a->low_head)
			a->low_tail = NULL;
		a->nlow--;
	}
	return j;
}

static void run_next(auth_t *a)
{
	auth_job_t *j;
	while (a->running < a->workers && (j = take(a))) {
		j->next = NULL;
		j->work.data = j;
		j->owner = a;
		a->running++;
		if (uv_queue_work(a->loop, &j->work, work, after_work)) {
			a->running--;
			j->ok = false;
			j->cb(j);
		}
	}
}

int auth_init(auth_t *a, uv_loop_t *loop, int workers)
{
	memset(a, 0, sizeof(*a));
	a->loop = loop;
	a->workers = workers;
	/* Verifying an unknown login against this keeps its timing like a real one. */
	char pw[32];
	randombytes_buf(pw, sizeof(pw) - 1);
	for (size_t i = 0; i < sizeof(pw) - 1; i++)
		pw[i] = (char)('a' + (unsigned char)pw[i] % 26);
	pw[sizeof(pw) - 1] = '\0';
	return auth_hash_password(pw, a->dummy_hash);
}

int auth_submit(auth_t *a, auth_job_t *job)
{
	job->next = NULL;
	if (job->low) {
		if (a->nlow >= LIMIT_AUTH_LOW_QUEUE)
			return -1;
		if (a->low_tail)
			a->low_tail->next = job;
		else
			a->low_head = job;
		a->low_tail = job;
		a->nlow++;
	} else {
		if (a->tail)
			a->tail->next = job;
		else
			a->head = job;
		a->tail = job;
	}
	run_next(a);
	return 0;
}

int auth_hash_password(const char *password, char out[AUTH_HASH_MAX])
{
	return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}
