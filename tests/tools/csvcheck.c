/* csvcheck FILE [COLUMN]: read a CSV as RFC 4180 says (quotes, doubled
 * quotes, commas and line breaks inside quotes), insisting on a UTF-8 BOM and
 * CRLF line ends as Excel on Korean Windows needs them.  Prints "rows R
 * columns C", then, with COLUMN (0-based), that column's value of every row,
 * one per line.  Exit 1 on any violation, naming it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	static char data[1 << 24];
	size_t n = fread(data, 1, sizeof(data) - 1, f);
	fclose(f);
	if (n < 3 || memcmp(data, "\xEF\xBB\xBF", 3)) {
		printf("no UTF-8 BOM\n");
		return 1;
	}
	int want = argc > 2 ? atoi(argv[2]) : -1;
	size_t i = 3, rows = 0, cols = 0, col = 0;
	static char field[65536];
	size_t fl = 0;
	for (;;) {
		bool quoted = false;
		fl = 0;
		if (i < n && data[i] == '"') {
			quoted = true;
			i++;
			for (;;) {
				if (i >= n) {
					printf("row %zu: unterminated quote\n", rows + 1);
					return 1;
				}
				if (data[i] == '"') {
					if (i + 1 < n && data[i + 1] == '"') {
						field[fl++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				field[fl++] = data[i++];
			}
		} else {
			while (i < n && data[i] != ',' && data[i] != '\r' && data[i] != '\n') {
				if (data[i] == '"') {
					printf("row %zu: a quote inside an unquoted field\n", rows + 1);
					return 1;
				}
				field[fl++] = data[i++];
			}
		}
		field[fl] = '\0';
		(void)quoted;
		if ((int)col == want)
			printf("%s\n", field);
		col++;
		if (i < n && data[i] == ',') {
			i++;
			continue;
		}
		if (i < n && data[i] == '\n') {
			printf("row %zu: a bare LF line end\n", rows + 1);
			return 1;
		}
		if (i + 1 < n && data[i] == '\r' && data[i + 1] == '\n')
			i += 2;
		else if (i < n) {
			printf("row %zu: expected CRLF\n", rows + 1);
			return 1;
		}
		if (rows == 0)
			cols = col;
		else if (col != cols) {
			printf("row %zu: %zu columns, the header has %zu\n", rows + 1, col, cols);
			return 1;
		}
		rows++;
		col = 0;
		if (i >= n)
			break;
	}
	printf("rows %zu columns %zu\n", rows, cols);
	return 0;
}
