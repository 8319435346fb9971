#!/usr/bin/env bash
# The repository stands alone: every relative link in a Markdown file, and
# every ../ path named in any tracked file, resolves to something inside the
# repository.  Someone who clones it has nothing beside it.
set -euo pipefail
SRC=${1:?usage: links.sh SOURCE_DIR}
cd "$SRC"
ROOT=$(pwd -P)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$(git ls-files --cached --others --exclude-standard)
else
	files=$(find . -type f -not -path './build*' -not -path './.git/*' -not -path '*/node_modules/*' | sed 's|^\./||')
fi
bad=0
inside() { # FILE TARGET: TARGET, relative to FILE's folder, exists inside the repo
	local dir target
	dir=$(dirname "$1")
	target=$(realpath -m "$dir/$2")
	case $target in "$ROOT" | "$ROOT"/*) [ -e "$target" ] ;; *) return 1 ;; esac
}
checked=0
while IFS= read -r f; do
	[ -f "$f" ] || continue
	case $f in *.png | *.xlsx | *.pdf | *.gz | *.dump) continue ;; esac
	# Markdown links: [text](target), not a URL and not an anchor in the same page.
	if [[ $f == *.md ]]; then
		while IFS= read -r t; do
			t=${t%%#*}
			[ -n "$t" ] || continue
			case $t in http://* | https://* | mailto:*) continue ;; esac
			checked=$((checked + 1))
			inside "$f" "$t" || { echo "FAIL: $f links to $t, which is not in the repository"; bad=1; }
		done < <(grep -oE '\]\([^) ]+\)' "$f" | sed -E 's/^\]\((.*)\)$/\1/')
	fi
	# Any file: a path that climbs out with ../
	while IFS= read -r t; do
		checked=$((checked + 1))
		inside "$f" "$t" || { echo "FAIL: $f names $t, which is not in the repository"; bad=1; }
	done < <(grep -aoE '(\.\./)+[A-Za-z0-9_][A-Za-z0-9_./-]*[A-Za-z0-9_]' "$f" 2>/dev/null || true)
done <<<"$files"
[ "$bad" = 0 ] && echo "ok: $checked relative links and paths, all inside the repository"
exit "$bad"
