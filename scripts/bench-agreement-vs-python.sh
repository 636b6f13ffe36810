#!/usr/bin/env bash
# Times `blindreview agreement` against Python (pandas + statsmodels + scikit-learn + krippendorff) on the same
# generated CSV of 100,000 items x 5 raters on 1-5, each measured end to end (process start, CSV load, all
# coefficients) over 5 runs; prints the medians and the speed-up.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import statsmodels, sklearn, krippendorff, pandas" 2>/dev/null || pip install -q statsmodels scikit-learn krippendorff pandas
swift build -c release --product blindreview >/dev/null
swift build -c release --product blindreview-bench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build/release/blindreview-bench write-csv "$work/ratings.csv"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ours=$(for i in 1 2 3 4 5; do
  s=$(date +%s.%N); .build/release/blindreview agreement "$work/ratings.csv" --level ordinal --categories 1,2,3,4,5 --format json >/dev/null
  e=$(date +%s.%N); echo "$e - $s" | bc; done | median)
theirs=$(for i in 1 2 3 4 5; do
  s=$(date +%s.%N); python3 scripts/bench/agreement_python.py "$work/ratings.csv" >/dev/null
  e=$(date +%s.%N); echo "$e - $s" | bc; done | median)
python3 scripts/bench/agreement_python.py "$work/ratings.csv"
.build/release/blindreview agreement "$work/ratings.csv" --level ordinal --categories 1,2,3,4,5 | grep -E "Fleiss' kappa  |alpha, ordinal"
printf 'blindreview agreement: %.3f s   python: %.3f s   speed-up: %.1fx\n' "$ours" "$theirs" "$(echo "$theirs / $ours" | bc -l)"
