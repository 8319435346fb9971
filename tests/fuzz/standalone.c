/* A main for the fuzz targets when they are not built with libFuzzer: run
 * every file of the corpus directory given, then mutate them for FUZZ_ROUNDS
 * rounds (default 20000) from a fixed FUZZ_SEED, so that ctest runs each
 * target under ASan and UBSan on every change, reproducibly.  A file given
 * instead of a directory is run once (to replay a crash). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long rng;

static unsigned next(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return n ? (unsigned)((rng >> 33) % n) : 0;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *d = malloc(1 << 20);
	*n = d ? fread(d, 1, 1 << 20, f) : 0;
	fclose(f);
	return d;
}

/* Flip, insert, delete, duplicate or overwrite a few bytes. */
static size_t mutate(uint8_t *d, size_t n, size_t cap)
{
	unsigned k = 1 + next(8);
	for (unsigned i = 0; i < k; i++) {
		switch (next(6)) {
		case 0:
			if (n)
				d[next((unsigned)n)] ^= (uint8_t)(1u << next(8));
			break;
		case 1:
			if (n < cap) {
				size_t at = next((unsigned)n + 1);
				memmove(d + at + 1, d + at, n - at);
				d[at] = (uint8_t)next(256);
				n++;
			}
			break;
		case 2:
			if (n) {
				size_t at = next((unsigned)n);
				memmove(d + at, d + at + 1, n - at - 1);
				n--;
			}
			break;
		case 3:
			if (n && n * 2 < cap) {
				size_t at = next((unsigned)n), l = 1 + next((unsigned)(n - at));
				memmove(d + at + l, d + at, n - at);
				n += l;
			}
			break;
		case 4:
			if (n)
				d[next((unsigned)n)] = (uint8_t)"\0\xff\x80{}[]:,\"-\n\t0 9"[next(16)];
			break;
		default:
			if (n > 4)
				n -= next((unsigned)(n / 4));
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *s = getenv("FUZZ_SEED"), *r = getenv("FUZZ_ROUNDS");
	rng = s ? strtoul(s, NULL, 10) : 1;
	long rounds = r ? atol(r) : 20000;
	const char *dir = argc > 1 ? argv[1] : ".";
	uint8_t *seeds[64];
	size_t sizes[64], nseeds = 0;
	DIR *dp = opendir(dir);
	if (!dp) {
		size_t n = 0;
		uint8_t *d = slurp(dir, &n);
		if (!d) {
			fprintf(stderr, "fuzz: cannot read %s\n", dir);
			return 2;
		}
		LLVMFuzzerTestOneInput(d, n);
		free(d);
		printf("fuzz: %s ran clean\n", dir);
		return 0;
	}
	struct dirent *e;
	while (dp && (e = readdir(dp)) && nseeds < 64) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		uint8_t *d = slurp(path, &sizes[nseeds]);
		if (d) {
			LLVMFuzzerTestOneInput(d, sizes[nseeds]);
			seeds[nseeds++] = d;
		}
	}
	if (dp)
		closedir(dp);
	if (!nseeds) {
		fprintf(stderr, "fuzz: no seeds in %s\n", dir);
		return 2;
	}
	size_t cap = 1 << 20;
	uint8_t *buf = malloc(cap);
	for (long i = 0; i < rounds; i++) {
		size_t k = next((unsigned)nseeds), n = sizes[k] < cap / 2 ? sizes[k] : cap / 2;
		memcpy(buf, seeds[k], n);
		n = mutate(buf, n, cap);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz: %ld mutated inputs from %zu seeds (FUZZ_SEED=%lu), no crash\n", rounds, nseeds, s ? strtoul(s, NULL, 10) : 1UL);
	free(buf);
	for (size_t i = 0; i < nseeds; i++)
		free(seeds[i]);
	return 0;
}
