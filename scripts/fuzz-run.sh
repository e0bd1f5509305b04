#!/bin/sh
# Usage: fuzz-run.sh FUZZER NAME SECONDS FUZZ_BUILD [DICTIONARY]
#
# Runs the libFuzzer target FUZZER (named NAME): first it replays every kept
# crash regression, tests/fuzz/regressions/NAME/*.hex (hex text, converted to
# binary under FUZZ_BUILD/regressions/NAME/), then it fuzzes for SECONDS from
# the kept corpus FUZZ_BUILD/corpus/NAME/ (the regressions as extra seeds).
# libFuzzer's output goes to FUZZ_BUILD/logs/NAME.log; printed are its
# summary or, on a crash, hang (10 s per input) or leak, the end of the log
# and the command that keeps the crashing input as a regression case.
set -eu
fuzzer=$1
name=$2
seconds=$3
build=$4
dict=${5:-}
python=${PYTHON:-/usr/bin/python3}
scripts=$(dirname "$0")
kept=tests/fuzz/regressions/$name
regressions=$build/regressions/$name
corpus=$build/corpus/$name
crashes=$build/crashes/$name
log=$build/logs/$name.log
started=$build/logs/$name.started

mkdir -p "$regressions" "$corpus" "$crashes" "$build/logs"
: >"$log"
touch "$started"

fail() {
	echo "fuzz $name: FAILED: $1. The end of $log:"
	tail -n 40 "$log"
	find "$crashes" -type f -newer "$started" | while read -r input; do
		echo "fuzz $name: after fixing, keep the input as a regression case:"
		echo "    $python $scripts/fuzzhex.py tohex $input > $kept/WHAT-IT-BROKE.hex"
	done
	exit 1
}

rm -f "$regressions"/*
count=0
for hex in "$kept"/*.hex; do
	[ -e "$hex" ] || continue
	"$python" "$scripts/fuzzhex.py" tobin "$hex" "$regressions/$(basename "$hex" .hex)"
	count=$((count + 1))
done
if [ "$count" -gt 0 ]; then
	"$fuzzer" -timeout=10 "$regressions"/* >>"$log" 2>&1 ||
		fail "a kept regression case fails again"
	echo "fuzz $name: $count regression case(s) pass"
fi

set -- -max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$crashes/"
if [ -n "$dict" ]; then
	set -- "$@" -dict="$dict"
fi
echo "fuzz $name: fuzzing for $seconds s from $corpus ($(ls "$corpus" | wc -l) inputs)"
"$fuzzer" "$@" "$corpus" "$regressions" >>"$log" 2>&1 || fail "crash, hang or leak"
grep -E '^(Done |stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb))' "$log" |
	sed "s/^/fuzz $name: /"
