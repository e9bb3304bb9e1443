#!/usr/bin/env bash
# Runs Go fuzz targets for a short time each: tools/fuzz-short.sh FUZZTIME pkg:Target...
#
# Go 1.26's fuzz coordinator can report "context deadline exceeded" as a
# failure when -fuzztime expires while a worker is mid-call on a busy machine
# (golang/go#75804, fixed in Go 1.27). A real finding always writes its input
# to testdata/fuzz and says so; a run that fails with only that deadline
# message and no failing input is run once more, and fails if it happens
# again. On a loaded machine the coordinator has also been seen to wait
# forever for workers that are gone ("gathering baseline coverage" with no
# progress): a run that outlasts FUZZ_RUN_LIMIT (default 300 s) is stopped and,
# without a failing input, run once more like the deadline case. Every other
# failure fails at once.
set -uo pipefail
go="${GO:-go}"
fuzztime="$1"
shift
for target in "$@"; do
	pkg="${target%%:*}"
	name="${target##*:}"
	for attempt in 1 2; do
		log="$(mktemp)"
		timeout --kill-after=10 "${FUZZ_RUN_LIMIT:-300}" "$go" test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$log"
		status="${PIPESTATUS[0]}"
		if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
			echo "fuzz-short: $name ran past ${FUZZ_RUN_LIMIT:-300} s; stopped" | tee -a "$log"
			echo "context deadline exceeded (run limit)" >>"$log"
		fi
		if [ "$status" -eq 0 ]; then
			rm -f "$log"
			break
		fi
		if [ "$attempt" -eq 1 ] && grep -q 'context deadline exceeded' "$log" &&
			! grep -q 'Failing input written' "$log" && ! grep -qE 'panic:|_test\.go:[0-9]+:' "$log"; then
			rm -f "$log"
			echo "fuzz-short: $name stopped at the -fuzztime deadline without a failing input (golang/go#75804); running it again"
			continue
		fi
		rm -f "$log"
		exit "$status"
	done
done
