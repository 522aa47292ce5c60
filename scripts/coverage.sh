#!/usr/bin/env bash
# Print statement coverage per package and in total from a Go coverprofile,
# and fail when the components' total is under the threshold.
#
#   scripts/coverage.sh coverage.out [THRESHOLD]     (default 90)
#
# "The components" are every package under receiver/ and processor/,
# including the mdatagen output (internal/metadata, internal/metadatatest,
# marked "generated"): it ships in the binary, so it counts.
set -euo pipefail

profile="${1:?usage: scripts/coverage.sh coverage.out [threshold]}"
threshold="${2:-${COVERAGE_MIN:-90}}"
module="$(go list -m)"

awk -v module="$module/" -v threshold="$threshold" '
	NR == 1 { next }                       # "mode: ..."
	{
		split($1, loc, ":")
		file = loc[1]
		pkg = file; sub(/\/[^\/]*$/, "", pkg); sub("^" module, "", pkg)
		# The same block may be listed more than once; count it once, as
		# covered if any listing covered it.
		key = $1
		if (!(key in stmts)) { stmts[key] = $2; pkgOf[key] = pkg }
		if ($3 > 0) hit[key] = 1
	}
	END {
		for (k in stmts) {
			p = pkgOf[k]
			total[p] += stmts[k]
			if (k in hit) covered[p] += stmts[k]
		}
		n = 0
		for (p in total) pkgs[++n] = p
		# insertion sort: awk has no portable sort
		for (i = 2; i <= n; i++) { v = pkgs[i]; j = i - 1; while (j > 0 && pkgs[j] > v) { pkgs[j+1] = pkgs[j]; j-- } pkgs[j+1] = v }
		printf "coverage: statements per package\n"
		for (i = 1; i <= n; i++) {
			p = pkgs[i]
			gen = (p ~ /\/internal\/metadata(test)?$/)
			comp = (p ~ /^(receiver|processor)\//)
			printf "  %6.1f%%  %5d  %s%s\n", 100 * covered[p] / total[p], total[p], p, gen ? "  (generated)" : ""
			all += total[p]; allCov += covered[p]
			if (comp) { ct += total[p]; cc += covered[p] }
			if (comp && !gen) { ht += total[p]; hc += covered[p] }
		}
		printf "coverage: all packages %.1f%% of %d statements\n", 100 * allCov / all, all
		if (ct == 0) { print "coverage: no component packages in the profile"; exit 1 }
		if (ht > 0) printf "coverage: components without generated code %.1f%% of %d statements (for information)\n", 100 * hc / ht, ht
		pct = 100 * cc / ct
		printf "coverage: components (receiver/, processor/) %.1f%% of %d statements (minimum %s%%)\n", pct, ct, threshold
		if (pct < threshold) { print "coverage: below the minimum"; exit 1 }
	}' "$profile"
