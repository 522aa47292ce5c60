#!/usr/bin/env bash
# Run every fuzz target of the root module for FUZZTIME each.
#
#   scripts/fuzz.sh [FUZZTIME]      (default 10s; go test -fuzztime syntax)
#
# Targets are discovered, not listed: packages whose _test.go files declare a
# Fuzz function are found with grep, then `go test -list 'Fuzz.*'` gives the
# authoritative names. New targets are picked up without editing this file.
# New failing inputs land in <pkg>/testdata/fuzz/<Target>/ as usual.
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${1:-${FUZZTIME:-10s}}"
go="${GO:-go}"

# Directories (outside dist/, .tools/ and nested modules) with fuzz functions.
mapfile -t dirs < <(
	grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' . \
		--exclude-dir=dist --exclude-dir=.tools --exclude-dir=.git --exclude-dir=tools |
		xargs -r -n1 dirname | sort -u
)

if [ "${#dirs[@]}" -eq 0 ]; then
	echo "fuzz: no fuzz targets found"
	exit 0
fi

failed=0
count=0
for dir in "${dirs[@]}"; do
	pkg="$("$go" list "$dir")"
	mapfile -t targets < <("$go" test -list 'Fuzz.*' "$pkg" | grep -E '^Fuzz' || true)
	for target in "${targets[@]}"; do
		count=$((count + 1))
		echo "fuzz: $pkg $target for $fuzztime"
		if ! "$go" test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"; then
			echo "fuzz: FAILED $pkg $target" >&2
			failed=$((failed + 1))
		fi
	done
done
echo "fuzz: ran $count target(s), $failed failed"
[ "$failed" -eq 0 ]
