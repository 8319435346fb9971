/* yaksok publish: the public site of the approved record into a folder,
 * with a manifest of every file (size, SHA-256) signed with Ed25519; keygen
 * makes the city's key pair, verify checks a copy of the folder on the
 * public side of a split network (docs/operations.md "Publishing").
 *
 * Files are rewritten only when their bytes change, so a second publish
 * after one card changed touches that card's pages, the lists and the
 * manifest; a file the last manifest listed and this one does not is
 * removed.  Files the manifest never listed are left alone (verify names
 * them). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "doc_io.h"
#include "site.h"

#define MANIFEST "manifest.json"
#define SIGNATURE "manifest.json.sig"
#define KEY_SECRET_TAG "yaksok-ed25519-secret-key"
#define KEY_PUBLIC_TAG "yaksok-ed25519-public-key"
#define SIG_TAG "yaksok-ed25519-signature"
#define MAX_SITE_FILE (256u << 20) /* what verify reads of one file to hash it, at a time */

static const char publish_usage[] =
	"usage: yaksok publish --out DIR --city NAME [--round R] [--base-url URL] [--sign-key FILE]\n"
	"       yaksok publish keygen --out FILE\n"
	"       yaksok publish verify DIR --key FILE.pub\n\n"
	"Build the public site of the approved record into DIR (a coordinator's or admin's work):\n"
	"every pledge's latest approved card (with --round R, the cards approved in R), never a\n"
	"working copy and no account names.  DIR gets index.html (filters and search), a page per\n"
	"pledge (the card as printed, its changes, its earlier rounds' cards), per status, per\n"
	"department and per area, dashboard.html, open data (data/pledges.csv, .json, .xlsx, one\n"
	"JSON per pledge, data/index.html saying what every column means), feed.atom, sitemap.xml,\n"
	"404.html, and manifest.json listing every file with its size and SHA-256.\n\n"
	"  --city NAME       the city's name, in every page's title\n"
	"  --round R         the cards approved in round R (default: each pledge's latest approved)\n"
	"  --base-url URL    the site's public address (https://...): the feed and the sitemap name\n"
	"                    pages by it; without it they use relative addresses\n"
	"  --sign-key FILE   sign manifest.json with this secret key (manifest.json.sig); the file\n"
	"                    must be readable by its owner only\n\n"
	"The same record gives the same bytes; files are rewritten only when they change, and the\n"
	"command says how many did.\n\n"
	"keygen writes a new Ed25519 key pair: FILE (secret, mode 0600) and FILE.pub.  verify checks\n"
	"DIR against its manifest and signature and names every missing, extra or changed file\n"
	"(exit 6 when anything is wrong).\n\n"
	"example: yaksok publish --out site --city 수원시 --base-url https://yaksok.suwon.go.kr/ --sign-key city.key\n"
	"         yaksok publish verify site --key city.key.pub\n";

/* ------------------------------------------------------------ keys */

/* Exactly `len` bytes from "TAG base64\n". */
static bool decode_tagged(const char *text, size_t n, const char *tag, unsigned char *out, size_t len)
{
	size_t tl = strlen(tag), got = 0;
	const char *end;
	return n > tl + 1 && !strncmp(text, tag, tl) && text[tl] == ' ' &&
	       !sodium_base642bin(out, len, text + tl + 1, n - tl - 1, "\n", &got, &end, sodium_base64_VARIANT_ORIGINAL) &&
	       got == len;
}

/* A key file's `len` bytes; 0, or an exit code after saying why. */
static int read_key(cli_t *cli, const char *path, const char *tag, unsigned char *out, size_t len)
{
	size_t n;
	char *text = cli_read_file(cli, path, &n);
	if (!text)
		return EXIT_FAIL;
	bool bad = !decode_tagged(text, n, tag, out, len);
	sodium_memzero(text, n);
	if (bad) {
		fprintf(stderr, "yaksok: %s is not a %s file (yaksok publish keygen makes one)\n", path, tag);
		return EXIT_INVALID;
	}
	return EXIT_OK;
}

static int key_line(buf_t *b, const char *tag, const unsigned char *bin, size_t len)
{
	char b64[sodium_base64_ENCODED_LEN(crypto_sign_SECRETKEYBYTES, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof(b64), bin, len, sodium_base64_VARIANT_ORIGINAL);
	int rc = buf_printf(b, "%s %s\n", tag, b64);
	sodium_memzero(b64, sizeof(b64));
	return rc;
}

/* A new file with exactly `b` in it, made with `mode`; never over an
 * existing one. */
static int write_new(const char *path, const buf_t *b, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		fprintf(stderr, "yaksok: cannot create %s: %s%s\n", path, strerror(errno),
			errno == EEXIST ? " (keygen never overwrites a key; remove it first)" : "");
		return -1;
	}
	bool ok = fchmod(fd, mode) == 0 && write(fd, b->data, b->len) == (ssize_t)b->len;
	ok = fsync(fd) == 0 && ok;
	ok = close(fd) == 0 && ok;
	if (!ok) {
		fprintf(stderr, "yaksok: cannot write %s: %s\n", path, strerror(errno));
		unlink(path);
	}
	return ok ? 0 : -1;
}

/* A subcommand's one option, --NAME VALUE, into *value; -1 when the
 * arguments parse, else the usage error's exit code. */
static int one_option(int argc, char **argv, const char *name, const char **value)
{
	const struct option opts[] = { { name, required_argument, NULL, 'v' }, { 0 } };
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'v')
			return cli_bad_option("publish", argv, opts);
		*value = optarg;
	}
	return -1;
}

static int keygen(cli_t *cli, int argc, char **argv)
{
	const char *out = NULL;
	int bad = one_option(argc, argv, "out", &out);
	if (bad >= 0)
		return bad;
	if (!out || optind != argc)
		return cli_usage_error("publish", "keygen takes --out FILE and nothing else");
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_keypair(pk, sk);
	buf_t sec = BUF_INIT, pub = BUF_INIT;
	const char *pubpath = arena_printf(cli->arena, "%s.pub", out);
	int rc = key_line(&sec, KEY_SECRET_TAG, sk, sizeof(sk)) || key_line(&pub, KEY_PUBLIC_TAG, pk, sizeof(pk)) || !pubpath
			 ? -1
			 : 0;
	sodium_memzero(sk, sizeof(sk));
	if (!rc && (rc = write_new(out, &sec, 0600)) == 0 && (rc = write_new(pubpath, &pub, 0644)) != 0)
		unlink(out);
	if (sec.data)
		sodium_memzero(sec.data, sec.len);
	buf_free(&sec);
	buf_free(&pub);
	if (rc)
		return EXIT_FAIL;
	printf("wrote %s (secret: keep it on the internal network) and %s (for verify on the public side)\n", out, pubpath);
	return EXIT_OK;
}

/* ------------------------------------------------------------ files */

static void sha256_hex(const unsigned char *data, size_t len, char hex[2 * crypto_hash_sha256_BYTES + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof(h));
}

/* A path from a manifest we may touch: relative, no "..", no empty part. */
static bool safe_path(const char *p)
{
	if (!p || !*p || *p == '/' || strlen(p) > 1024)
		return false;
	for (const char *s = p; *s; s++)
		if ((unsigned char)*s < 0x20)
			return false;
	for (const char *s = p; s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s = e ? e + 1 : NULL;
	}
	return true;
}

/* The folders above `path` inside `dir`. */
static int make_parents(const char *dir, const char *path, arena_t *a)
{
	for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		const char *sub = arena_printf(a, "%s/%.*s", dir, (int)(s - path), path);
		if (!sub || (mkdir(sub, 0755) && errno != EEXIST)) {
			fprintf(stderr, "yaksok: cannot make the folder %s: %s\n", sub ? sub : path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* 1 when `full` holds exactly `b`, 0 when not (or absent). */
static int same_bytes(const char *full, const buf_t *b)
{
	struct stat st;
	if (lstat(full, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size != b->len)
		return 0;
	FILE *f = fopen(full, "rb");
	if (!f)
		return 0;
	char chunk[65536];
	size_t at = 0, got;
	int same = 1;
	while (same && (got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		same = at + got <= b->len && !memcmp(chunk, b->data + at, got);
		at += got;
	}
	fclose(f);
	return same && at == b->len;
}

/* `b` into DIR/path unless it is there already; 1 written, 0 unchanged,
 * -1 failed (said). */
static int put_file(arena_t *a, const char *dir, const char *path, const buf_t *b)
{
	const char *full = arena_printf(a, "%s/%s", dir, path);
	if (!full || make_parents(dir, path, a))
		return -1;
	if (same_bytes(full, b))
		return 0;
	return city_save(full, b) ? -1 : 1;
}

static bool listed(const site_t *s, const char *path)
{
	size_t lo = 0, hi = s->nfiles;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->files[mid].path, path);
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The files the manifest in DIR lists (NULL when there is none). */
static const doc_node_t *old_files(cli_t *cli, const char *dir)
{
	const char *path = arena_printf(cli->arena, "%s/" MANIFEST, dir);
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return NULL;
	buf_t b = BUF_INIT;
	char chunk[65536];
	size_t got;
	int rc = 0;
	while (!rc && (got = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < (64u << 20))
		rc = buf_append(&b, chunk, got);
	fclose(f);
	const char *err;
	const doc_node_t *m = rc ? NULL : doc_parse_json(cli->arena, b.data ? b.data : "", b.len, &err);
	buf_free(&b);
	const doc_node_t *files = doc_field(m, "files");
	return files && files->type == DOC_SEQ ? files : NULL;
}

/* ------------------------------------------------------------ the record */

/* The documents of an export, less the accounts' logins; NULL with *rc set
 * after printing why. */
static doc_node_t **export_docs(cli_t *cli, const char *round, size_t *n, int *rc)
{
	Yk__PledgeList filter = YK__PLEDGE_LIST__INIT;
	filter.round = (char *)round;
	doc_node_t **docs;
	if ((*rc = city_fetch_all(cli, &filter, !round, 0, &docs, n)))
		return NULL;
	for (size_t i = 0; i < *n; i++)
		site_scrub(docs[i]);
	return docs;
}

static const char *text_of(const doc_node_t *d, const char *key)
{
	const char *v = doc_text(d, key);
	return v ? v : "";
}

/* The rounds to show (up to `round`, oldest first) with what each approved,
 * the documents to publish and the figures that describe exactly them. */
static int gather(cli_t *cli, site_t *s)
{
	int rc;
	Yk__RoundList rl = YK__ROUND_LIST__INIT;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_ROUND_LIST;
	req.round_list = &rl;
	Yk__Response *resp = cli_call(cli, &req, &rc);
	if (!resp)
		return rc;
	const Yk__RoundListReply *all = resp->round_list;
	site_round_t *rounds = arena_calloc(cli->arena, sizeof(*rounds) * (all->n_rounds ? all->n_rounds : 1));
	if (!rounds)
		return EXIT_FAIL;
	size_t nr = 0;
	const Yk__Round *chosen = NULL;
	const site_round_t *mine = NULL; /* the chosen round's fetched cards */
	for (size_t i = 0; s->round && i < all->n_rounds; i++)
		if (!strcmp(all->rounds[i]->name, s->round))
			chosen = all->rounds[i];
	if (s->round && !chosen) {
		fprintf(stderr, "yaksok: there is no round %s (yaksok round list shows them)\n", s->round);
		return EXIT_NOTFOUND;
	}
	for (size_t i = 0; i < all->n_rounds; i++) {
		const Yk__Round *r = all->rounds[i];
		if (chosen && strcmp(r->as_of ? r->as_of : "", chosen->as_of ? chosen->as_of : "") > 0)
			continue; /* after the round published */
		site_round_t *sr = &rounds[nr];
		sr->name = r->name;
		sr->as_of = r->as_of;
		if (!(sr->docs = export_docs(cli, r->name, &sr->n, &rc)))
			return rc;
		if (r == chosen)
			mine = sr;
		nr++;
	}
	s->rounds = rounds;
	s->nrounds = nr;
	/* round R's cards were fetched above; else each pledge's latest
	 * approved card, which only the daemon can tell */
	if (mine) {
		s->city.docs = mine->docs;
		s->city.n = mine->n;
	} else if (!(s->city.docs = export_docs(cli, NULL, &s->city.n, &rc))) {
		return rc;
	}

	/* The server's figures (lagging, the evaluation's rates) are a round's:
	 * used when the published cards are exactly what that round approved. */
	const site_round_t *last = NULL;
	for (size_t k = nr; k-- > 0 && !last;)
		if (rounds[k].n)
			last = &rounds[k];
	/* both lists come in code order: the same pledges at the same versions
	 * pair up index by index */
	bool same = last && last->n == s->city.n;
	for (size_t i = 0; same && i < s->city.n; i++)
		same = !strcmp(text_of(last->docs[i], "code"), text_of(s->city.docs[i], "code")) &&
		       !strcmp(text_of(last->docs[i], "version"), text_of(s->city.docs[i], "version"));
	return same ? city_stats(cli, last->name, &s->city.stats) : EXIT_OK;
}

/* ------------------------------------------------------------ publish */

static int manifest(const site_t *s, buf_t *out)
{
	int rc = buf_puts(out, "{\n  \"format\": \"yaksok-site 1\",\n  \"city\": ");
	rc |= doc_write_json(out, doc_str(s->city.a, s->city.city, strlen(s->city.city)), 0);
	rc |= buf_puts(out, ",\n  \"round\": ");
	rc |= s->round ? doc_write_json(out, doc_str(s->city.a, s->round, strlen(s->round)), 0) : buf_puts(out, "null");
	rc |= buf_printf(out, ",\n  \"as_of\": \"%s\",\n  \"files\": [\n", city_as_of(&s->city));
	for (size_t i = 0; i < s->nfiles; i++) {
		char hex[2 * crypto_hash_sha256_BYTES + 1];
		sha256_hex((const unsigned char *)s->files[i].data.data, s->files[i].data.len, hex);
		rc |= buf_puts(out, "    {\"path\": ");
		rc |= doc_write_json(out, doc_str(s->city.a, s->files[i].path, strlen(s->files[i].path)), 0);
		rc |= buf_printf(out, ", \"size\": %zu, \"sha256\": \"%s\"}%s\n", s->files[i].data.len, hex,
				 i + 1 < s->nfiles ? "," : "");
	}
	return rc | buf_puts(out, "  ]\n}\n");
}

static int sign(cli_t *cli, const char *keyfile, const buf_t *m, buf_t *out)
{
	struct stat st;
	if (stat(keyfile, &st)) {
		fprintf(stderr, "yaksok: cannot read %s: %s\n", keyfile, strerror(errno));
		return EXIT_FAIL;
	}
	if (st.st_mode & 077) {
		fprintf(stderr, "yaksok: %s may be read by others (mode %04o): chmod 600 it first\n", keyfile,
			(unsigned)(st.st_mode & 07777));
		return EXIT_INVALID;
	}
	unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	int rc = read_key(cli, keyfile, KEY_SECRET_TAG, sk, sizeof(sk));
	if (!rc)
		crypto_sign_detached(sig, NULL, (const unsigned char *)m->data, m->len, sk);
	sodium_memzero(sk, sizeof(sk));
	if (rc)
		return rc;
	return key_line(out, SIG_TAG, sig, sizeof(sig)) ? EXIT_FAIL : EXIT_OK;
}

static int publish(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "out", required_argument, NULL, 'o' },
					      { "city", required_argument, NULL, 'c' },
					      { "round", required_argument, NULL, 'r' },
					      { "base-url", required_argument, NULL, 'b' },
					      { "sign-key", required_argument, NULL, 'k' },
					      { 0 } };
	const char *dir = NULL, *keyfile = NULL;
	site_t s = { .city = { .a = cli->arena } };
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': dir = optarg; break;
		case 'c': s.city.city = optarg; break;
		case 'r': s.round = optarg; break;
		case 'b': s.base_url = optarg; break;
		case 'k': keyfile = optarg; break;
		default: return cli_bad_option("publish", argv, opts);
		}
	}
	if (optind != argc)
		return cli_usage_error("publish", "unexpected argument \"%s\"", argv[optind]);
	if (!dir || !*dir)
		return cli_usage_error("publish", "--out DIR is required");
	if (!s.city.city || !*s.city.city)
		return cli_usage_error("publish", "--city NAME is required (the city's name, as the pages title it)");
	if (s.base_url) {
		size_t n = strlen(s.base_url);
		if ((strncmp(s.base_url, "https://", 8) && strncmp(s.base_url, "http://", 7)) || strpbrk(s.base_url, " \"<>\\"))
			return cli_usage_error("publish", "--base-url must be an http(s) address, like https://yaksok.example.go.kr/");
		if (s.base_url[n - 1] != '/')
			s.base_url = arena_printf(cli->arena, "%s/", s.base_url);
	}
	if (keyfile && access(keyfile, R_OK)) {
		fprintf(stderr, "yaksok: cannot read %s: %s\n", keyfile, strerror(errno));
		return EXIT_FAIL;
	}

	/* The public record is the coordinating department's to publish. */
	int rc;
	Yk__WhoAmI w = YK__WHO_AM_I__INIT;
	Yk__Request req = YK__REQUEST__INIT;
	req.body_case = YK__REQUEST__BODY_WHOAMI;
	req.whoami = &w;
	Yk__Response *me = cli_call(cli, &req, &rc);
	if (!me)
		return rc;
	if (strcmp(me->whoami->role, "coordinator") && strcmp(me->whoami->role, "admin")) {
		fprintf(stderr, "yaksok: publish is a coordinator's or an admin's; %s is a %s account\n", me->whoami->login,
			me->whoami->role);
		return EXIT_AUTH;
	}
	if ((rc = gather(cli, &s)))
		return rc;
	if (!s.base_url)
		fprintf(stderr, "yaksok: no --base-url: feed.atom and sitemap.xml name pages by relative addresses\n");
	if (site_build(&s)) {
		fprintf(stderr, "yaksok: cannot build the site (out of memory)\n");
		site_free(&s);
		return EXIT_FAIL;
	}
	buf_t man = BUF_INIT, sig = BUF_INIT;
	rc = manifest(&s, &man) ? EXIT_FAIL : EXIT_OK;
	if (!rc && keyfile)
		rc = sign(cli, keyfile, &man, &sig);
	if (rc) {
		site_free(&s);
		buf_free(&man);
		buf_free(&sig);
		return rc;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		fprintf(stderr, "yaksok: cannot make %s: %s\n", dir, strerror(errno));
		rc = EXIT_FAIL;
	}
	const doc_node_t *before = rc ? NULL : old_files(cli, dir);
	size_t written = 0, unchanged = 0, removed = 0;
	for (size_t i = 0; i < s.nfiles && !rc; i++) {
		int put = put_file(cli->arena, dir, s.files[i].path, &s.files[i].data);
		if (put < 0)
			rc = EXIT_FAIL;
		else if (put)
			written++;
		else
			unchanged++;
	}
	/* what the last publish wrote and this one does not: a pledge gone, a
	 * round no longer shown */
	for (size_t i = 0; !rc && i < doc_count(before); i++) {
		const char *p = doc_text(before->items[i], "path");
		if (!safe_path(p) || listed(&s, p))
			continue;
		const char *full = arena_printf(cli->arena, "%s/%s", dir, p);
		if (full && !unlink(full))
			removed++;
	}
	/* the manifest last, its signature after it: a copy taken halfway
	 * fails verify instead of passing with old contents */
	int wm = rc ? -1 : put_file(cli->arena, dir, MANIFEST, &man);
	int ws = wm < 0 ? -1 : keyfile ? put_file(cli->arena, dir, SIGNATURE, &sig) : 0;
	if (!rc && !keyfile) {
		const char *old = arena_printf(cli->arena, "%s/" SIGNATURE, dir);
		if (old && !unlink(old))
			removed++;
	}
	if (wm < 0 || ws < 0)
		rc = EXIT_FAIL;
	if (!rc) {
		written += (size_t)wm + (size_t)(ws > 0);
		unchanged += (size_t)(wm == 0) + (size_t)(keyfile && ws == 0);
		printf("published %zu pledge%s (%s) to %s: %zu files, %zu written, %zu unchanged, %zu removed%s\n", s.city.n,
		       s.city.n == 1 ? "" : "s", s.round ? s.round : "latest approved", dir,
		       s.nfiles + 1 + (keyfile != NULL), written, unchanged, removed, keyfile ? "; signed" : "; not signed");
	}
	site_free(&s);
	buf_free(&man);
	buf_free(&sig);
	return rc;
}

/* ------------------------------------------------------------ verify */

typedef struct {
	const char **paths;
	size_t n, cap;
} pathset_t;

static int walk(arena_t *a, const char *root, const char *rel, pathset_t *out, size_t depth)
{
	const char *full = rel ? arena_printf(a, "%s/%s", root, rel) : root;
	DIR *d = full ? opendir(full) : NULL;
	if (!d) {
		fprintf(stderr, "yaksok: cannot read the folder %s: %s\n", full ? full : root, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		const char *p = rel ? arena_printf(a, "%s/%s", rel, e->d_name) : arena_strdup(a, e->d_name);
		const char *fp = p ? arena_printf(a, "%s/%s", root, p) : NULL;
		struct stat st;
		if (!p || !fp || lstat(fp, &st)) {
			rc = -1;
			break;
		}
		if (S_ISDIR(st.st_mode) && depth < 16) {
			rc = walk(a, root, p, out, depth + 1);
			continue;
		}
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 256;
			const char **np = arena_alloc(a, cap * sizeof(*np));
			if (!np) {
				rc = -1;
				break;
			}
			if (out->n)
				memcpy(np, out->paths, out->n * sizeof(*np));
			out->paths = np;
			out->cap = cap;
		}
		/* a link or a device is never what we published: it counts as extra */
		out->paths[out->n++] = S_ISREG(st.st_mode) ? p : arena_printf(a, "%s\x01", p);
	}
	closedir(d);
	return rc;
}

/* SHA-256 of a regular file, streamed; -1 when it cannot be read. */
static int hash_file(const char *path, size_t *size, char hex[2 * crypto_hash_sha256_BYTES + 1])
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	unsigned char chunk[65536];
	ssize_t got;
	*size = 0;
	while ((got = read(fd, chunk, sizeof(chunk))) > 0) {
		crypto_hash_sha256_update(&st, chunk, (size_t)got);
		*size += (size_t)got;
	}
	close(fd);
	if (got < 0)
		return -1;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof(h));
	return 0;
}

static int verify(cli_t *cli, int argc, char **argv)
{
	const char *keyfile = NULL;
	int bad = one_option(argc, argv, "key", &keyfile);
	if (bad >= 0)
		return bad;
	if (optind + 1 != argc || !keyfile)
		return cli_usage_error("publish", "verify takes DIR and --key FILE.pub");
	const char *dir = argv[optind];
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	int rc = read_key(cli, keyfile, KEY_PUBLIC_TAG, pk, sizeof(pk));
	if (rc)
		return rc;
	size_t mlen, slen;
	char *m = cli_read_file(cli, arena_printf(cli->arena, "%s/" MANIFEST, dir), &mlen);
	char *sg = m ? cli_read_file(cli, arena_printf(cli->arena, "%s/" SIGNATURE, dir), &slen) : NULL;
	if (!m || !sg) {
		fprintf(stderr, "yaksok: %s is not a signed site (it needs %s and %s)\n", dir, MANIFEST, SIGNATURE);
		return EXIT_INVALID;
	}
	if (!decode_tagged(sg, slen, SIG_TAG, sig, sizeof(sig))) {
		fprintf(stderr, "yaksok: %s/%s is not a signature\n", dir, SIGNATURE);
		return EXIT_INVALID;
	}
	if (crypto_sign_verify_detached(sig, (const unsigned char *)m, mlen, pk)) {
		fprintf(stderr, "yaksok: %s/%s: the signature does not match the key in %s: the manifest was changed, or "
				"signed with another key\n",
			dir, MANIFEST, keyfile);
		return EXIT_INVALID;
	}
	const char *err;
	const doc_node_t *man = doc_parse_json(cli->arena, m, mlen, &err);
	const doc_node_t *files = doc_field(man, "files");
	if (!files || files->type != DOC_SEQ) {
		fprintf(stderr, "yaksok: %s/%s is signed but has no file list\n", dir, MANIFEST);
		return EXIT_INVALID;
	}
	pathset_t on_disk = { 0 };
	if (walk(cli->arena, dir, NULL, &on_disk, 0))
		return EXIT_FAIL;
	qsort(on_disk.paths, on_disk.n, sizeof(*on_disk.paths), cli_by_name);
	size_t missing = 0, changed = 0, extra = 0, ok = 0;
	bool *seen = arena_calloc(cli->arena, on_disk.n ? on_disk.n : 1);
	if (!seen)
		return EXIT_FAIL;
	for (size_t i = 0; i < files->n; i++) {
		const char *p = doc_text(files->items[i], "path"), *want = doc_text(files->items[i], "sha256");
		const char *size = doc_text(files->items[i], "size");
		if (!safe_path(p) || !want || !size) {
			fprintf(stderr, "yaksok: %s/%s: entry %zu is not a file of the site\n", dir, MANIFEST, i + 1);
			return EXIT_INVALID;
		}
		const char **at = bsearch(&p, on_disk.paths, on_disk.n, sizeof(*on_disk.paths), cli_by_name);
		if (!at) {
			printf("missing: %s\n", p);
			missing++;
			continue;
		}
		seen[at - on_disk.paths] = true;
		char hex[2 * crypto_hash_sha256_BYTES + 1];
		size_t n;
		if (hash_file(arena_printf(cli->arena, "%s/%s", dir, p), &n, hex) || strcmp(hex, want) ||
		    strtoull(size, NULL, 10) != n) {
			printf("changed: %s\n", p);
			changed++;
		} else {
			ok++;
		}
	}
	for (size_t i = 0; i < on_disk.n; i++) {
		const char *p = on_disk.paths[i];
		if (seen[i] || !strcmp(p, MANIFEST) || !strcmp(p, SIGNATURE))
			continue;
		size_t len = strlen(p);
		bool odd = len && p[len - 1] == '\x01';
		printf("extra: %.*s%s\n", (int)(odd ? len - 1 : len), p, odd ? " (not a regular file)" : "");
		extra++;
	}
	if (missing || changed || extra) {
		fprintf(stderr, "yaksok: %s does not match its signed manifest: %zu missing, %zu changed, %zu extra\n", dir,
			missing, changed, extra);
		return EXIT_INVALID;
	}
	printf("%s: %zu files match the manifest signed by the key in %s\n", dir, ok, keyfile);
	return EXIT_OK;
}

int cmd_publish(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, publish_usage))
		return EXIT_OK;
	if (sodium_init() < 0) {
		fprintf(stderr, "yaksok: libsodium cannot start\n");
		return EXIT_FAIL;
	}
	if (argc > 1 && !strcmp(argv[1], "keygen"))
		return keygen(cli, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "verify"))
		return verify(cli, argc - 1, argv + 1);
	return publish(cli, argc, argv);
}
