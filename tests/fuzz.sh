# SPDX-License-Identifier: ISC
# Fuzz targets (tests/fuzz/, sourced by tests/run): each replays its seeds,
# among them the inputs that once found a bug, then fuzzes a few seconds
# (FUZZ_SECONDS, default 3). `make fuzz` runs them for long.
echo "fuzz targets"
for t in image hfs bundle compose http virtq; do
	mkdir -p "$TMP/fuzz-$t"
	check "fuzz/$t" 0 -e '^Done [0-9]+ runs in' -n 'ERROR|broken promise' \
		-- "$T/fuzz/$t" -max_total_time="${FUZZ_SECONDS:-3}" -timeout=10 -rss_limit_mb=1024 \
		-close_fd_mask=3 -artifact_prefix="$T/fuzz/$t-" "$TMP/fuzz-$t" "tests/fuzz/$t"
done
