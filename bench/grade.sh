#!/usr/bin/env bash
# Grading throughput: 100 submissions of lesson 8 (solved, so every cell
# runs) graded with -j 1 and -j 2. Prints submissions per second and the
# speedup. Not part of the test run: bash bench/grade.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/lanes" ./cmd/lanes
src=grade/testdata/course/08-race-conditions.ipynb
for i in $(seq -w 1 "$n"); do
	mkdir -p "$work/subs/s$i"
	cp grade/testdata/submissions/solved/08-race-conditions.ipynb "$work/subs/s$i/"
done
rate() { # jobs → submissions/s
	local start end
	start=$(date +%s.%N)
	"$work/lanes" grade autograde --source "$src" "$work"/subs/*/*.ipynb -o "$work/out$1" -j "$1" 2>"$work/log$1"
	end=$(date +%s.%N)
	grep -q "$n submissions, $n graded" "$work/log$1" || { cat "$work/log$1"; exit 1; }
	awk -v n="$n" -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", n / (b - a) }'
}
r1=$(rate 1)
r2=$(rate 2)
echo "grade: $n submissions of lesson 8: -j 1 $r1 submissions/s, -j 2 $r2 submissions/s, speedup $(awk -v a="$r1" -v b="$r2" 'BEGIN { printf "%.2f", b / a }')x ($(nproc) cores)"
