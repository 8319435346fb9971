/* gencity DIR [PLEDGES] [DEPARTMENTS]: write a generated city -- pledge
 * documents DIR/p001.json ... over departments named in DIR/departments.txt --
 * with every status, overdue and lagging pledges, several funding sources,
 * and a few words to search for.  Deterministic: the same city every time.
 * With GENCITY_FULL=1 each pledge is the size of a real card, as the
 * benchmark wants it: 5 indicators over 12 quarters and 20 activities. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long state = 20210331;

static unsigned rnd(unsigned n)
{
	state = state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((state >> 33) % n);
}

static const char *const areas[] = { "시민주권", "복지", "경제", "교통", "환경", "문화", "교육", "안전", "도시재생" };
static const char *const statuses[] = { "in_progress", "completed", "completed_ongoing", "partial",
					"delayed",     "on_hold",   "dropped",		 "not_started" };
static const char *const subjects[] = { "공영주차장 확충", "청년 일자리", "어린이 놀이터", "자전거 도로", "미세먼지 저감",
					"도서관 건립", "노인 돌봄", "전통시장 활성화", "하천 정비", "공공 와이파이",
					"스마트 횡단보도", "마을 공동체", "작은 영화관", "반려동물 공원", "창업 지원",
					"친환경 버스" };
static const char *const depts[] = { "정책기획과", "교통정책과", "주차관리과", "노인복지과", "아동복지과",
				     "청년정책과", "일자리정책과", "기후대기과", "수자원과", "공원녹지과",
				     "도서관정책과", "문화예술과", "체육진흥과", "교육청소년과", "안전정책과",
				     "재난안전과", "도시재생과", "주택정책과", "도시계획과", "건축과",
				     "지역경제과", "전통시장과", "스마트도시과", "정보통신과", "자원순환과",
				     "환경정책과", "보건정책과", "여성가족과", "장애인복지과", "시민협치과",
				     "자치분권과", "세정과", "회계과", "감사관실", "홍보기획관", "인권담당관" };

/* Section 3 and 4 of a full-sized card: one set of 5 indicators over the 12
 * quarters of 2019-2021, targets for each and actuals up to 2021-Q2, and
 * under each indicator 4 activities of 2 items. */
static void write_full_indicators(FILE *f, const char *subject)
{
	fprintf(f, " \"indicator_sets\": [{\"periods\": [");
	for (int q = 0; q < 12; q++)
		fprintf(f, "%s\"%d-Q%d\"", q ? ", " : "", 2019 + q / 4, 1 + q % 4);
	fprintf(f, "], \"basis\": \"original\", \"indicators\": [");
	for (int k = 0; k < 5; k++) {
		fprintf(f, "%s{\"name\": \"%s 지표 %d\", \"unit\": \"건\", \"targets\": {", k ? ", " : "", subject, k + 1);
		for (int q = 0; q < 12; q++)
			fprintf(f, "%s\"%d-Q%d\": %u", q ? ", " : "", 2019 + q / 4, 1 + q % 4, 1 + rnd(20));
		fprintf(f, "}, \"actuals\": {");
		for (int q = 0; q < 10; q++)
			fprintf(f, "%s\"%d-Q%d\": %u", q ? ", " : "", 2019 + q / 4, 1 + q % 4, rnd(20));
		fprintf(f, "}}");
	}
	fprintf(f, "], \"cumulative_progress\": {\"2020-Q4\": {\"target\": %u, \"current\": %u}, "
		   "\"2021-Q4\": {\"target\": %u}}}],\n",
		30 + rnd(30), rnd(60), 70 + rnd(30));
	fprintf(f, " \"progress\": {\"from\": \"2018-07\", \"to\": \"2021-06-30\", \"by_indicator\": [");
	for (int k = 0; k < 5; k++) {
		fprintf(f, "%s{\"indicator\": \"%s 지표 %d\", \"activities\": [", k ? ", " : "", subject, k + 1);
		for (int a = 0; a < 4; a++)
			fprintf(f, "%s{\"title\": \"활동 %d-%d\", \"items\": [{\"text\": \"계획 수립\", \"date\": \"2020-0%u-1%u\"}, "
				   "{\"text\": \"추진 점검\", \"date\": \"2021-0%u\"}]}",
				a ? ", " : "", k + 1, a + 1, 1 + rnd(9), rnd(10), 1 + rnd(6));
		fprintf(f, "]}");
	}
	fprintf(f, "]},\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gencity DIR [PLEDGES] [DEPARTMENTS]\n");
		return 2;
	}
	const char *dir = argv[1];
	const char *fe = getenv("GENCITY_FULL");
	bool full = fe && !strcmp(fe, "1");
	int n = argc > 2 ? atoi(argv[2]) : 96;
	int nd = argc > 3 ? atoi(argv[3]) : 32;
	if (nd > (int)(sizeof(depts) / sizeof(depts[0])))
		nd = (int)(sizeof(depts) / sizeof(depts[0]));
	char path[4096];
	snprintf(path, sizeof(path), "%s/departments.txt", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	for (int d = 0; d < nd; d++)
		fprintf(f, "%s\n", depts[d]);
	fclose(f);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/p%03d.json", dir, i + 1);
		f = fopen(path, "w");
		if (!f)
			return 1;
		const char *status = statuses[i % 8];
		const char *subject = subjects[rnd(16)];
		int target_year = 2019 + (int)rnd(5), target_month = 1 + (int)rnd(12);
		int progress = !strcmp(status, "completed") || !strcmp(status, "completed_ongoing") ? 100 : (int)rnd(96);
		fprintf(f, "{\n \"schema\": \"yaksok/pledge/v1\",\n \"code\": \"GEN-%03d\",\n", i + 1);
		if (i == 7)
			fprintf(f, " \"title\": \"%s, \\\"특별\\\" 사업\",\n", subject); /* a comma and quotes for CSV */
		else
			fprintf(f, " \"title\": \"%s %d\",\n", subject, i + 1);
		fprintf(f, " \"area\": \"%s\",\n \"department\": \"%s\",\n \"status\": \"%s\",\n", areas[i % 9],
			depts[i % nd], status);
		fprintf(f, " \"progress_pct\": %d.%d,\n \"target_month\": \"%d-%02d\",\n \"as_of\": \"2021-06-30\",\n",
			progress, progress == 100 ? 0 : (int)rnd(10), target_year, target_month);
		fprintf(f, " \"overview\": {\"target\": \"%s 시민\", \"contents\": [\"%s 추진\", \"관련 조례 정비\"]},\n",
			subject, subject);
		/* budget: 2019, 2020, 2021 and 2022 for one to three sources */
		fprintf(f, " \"budget\": {\"unit\": \"백만원\", \"periods\": [\"2019\", \"2020\", \"2021\", \"2022\"], \"sources\": {");
		/* city always, then none, one or two of the others */
		static const char *const others[] = { "national", "provincial", "private" };
		const char *srcs[3] = { "city", NULL, NULL };
		unsigned first = rnd(3), extra = rnd(3);
		int nsrc = 1;
		for (unsigned k = 0; k < extra && k < 2; k++)
			srcs[nsrc++] = others[(first + k) % 3];
		for (int s = 0; s < nsrc; s++) {
			const char *src = srcs[s];
			fprintf(f, "%s\"%s\": {\"prior\": %u, \"amounts\": {", s ? ", " : "", src, rnd(20));
			for (int y = 2019; y <= 2021; y++) {
				unsigned sec = 10 + rnd(90), exe = rnd(sec + 1);
				fprintf(f, "\"%d\": {\"secured\": %u.%u, \"executed\": %u}, ", y, sec, rnd(10), exe);
			}
			fprintf(f, "\"2022\": {\"planned\": %u}}}", 20 + rnd(80));
		}
		fprintf(f, "}},\n");
		if (full) {
			write_full_indicators(f, subject);
		} else {
			/* indicators with cumulative progress: target vs current */
			unsigned t20 = 20 + rnd(30), t21 = 50 + rnd(40);
			unsigned c20 = rnd(60), c21 = rnd(100);
			fprintf(f, " \"indicator_sets\": [{\"periods\": [\"2020\", \"2021\"], \"basis\": \"original\", "
				   "\"indicators\": [{\"name\": \"%s 실적\", \"unit\": \"건\", \"targets\": {\"2020\": %u, \"2021\": %u}, "
				   "\"actuals\": {\"2020\": %u}}], \"cumulative_progress\": {\"2020\": {\"target\": %u, \"current\": %u}, "
				   "\"2021\": {\"target\": %u%s}}}],\n",
				subject, 5 + rnd(10), 10 + rnd(10), rnd(15), t20, c20, t21,
				i % 3 == 0 ? "" : (c21 < 30 ? ", \"current\": 5" : ", \"current\": 95"));
			fprintf(f, " \"progress\": {\"from\": \"2018-07\", \"to\": \"2021-06-30\", \"by_indicator\": [{\"indicator\": "
				   "\"%s 실적\", \"activities\": [{\"title\": \"%s 추진\", \"items\": [{\"text\": \"계획 수립\", "
				   "\"date\": \"2019-0%u-1%u\"}, {\"text\": \"중간 점검\", \"date\": \"2020-1%u\"}]}]}]},\n",
				subject, subject, 1 + rnd(9), rnd(10), rnd(3));
		}
		fprintf(f, " \"plans\": [{\"text\": \"하반기 추진\", \"from\": \"2021-07\", \"to\": \"2021-12\"}],\n");
		fprintf(f, " \"officials\": [{\"department\": \"%s\", \"position\": \"과장\", \"name\": \"담당자%d\", "
			   "\"phone\": \"%04u\"}]\n}\n",
			depts[i % nd], i + 1, 1000 + rnd(9000));
		fclose(f);
	}
	return 0;
}
