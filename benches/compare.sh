#!/usr/bin/env bash
# Side-by-side build benchmark: hocso against the peers installed here, on the same corpus.
#
#   benches/compare.sh [N ...]        (default: 1000 10000)
#
# For each N it writes a deterministic corpus of N Vietnamese lessons (examples/corpus.rs) in
# hocso's, Hugo's and Zola's layouts, then times a cold build with hyperfine (median of 5 runs
# after one warm-up) and measures peak memory and CPU use with /usr/bin/time. "floor" is copying
# the corpus (cp -r), the least any generator can do. Peers are used when on PATH:
# hugo (apt-get install hugo), zola, mdbook (cargo install mdbook; or set MDBOOK=/path/to/mdbook).
# Every tool starts cold: its previous output is removed before each timed run.
# Not a test: nothing in `cargo test` depends on it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
sizes=("${@:-1000 10000}")
[ $# -eq 0 ] && sizes=(1000 10000)
work="${HOCSO_BENCH_DIR:-/tmp/hocso-bench}"
runs="${HOCSO_BENCH_RUNS:-5}"
mdbook="${MDBOOK:-$(command -v mdbook || true)}"
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 1; }

cd "$repo"
cargo build --release --quiet --bin hocso --example corpus
hocso="$repo/target/release/hocso"
mkdir -p "$work"

measure() { # label dir command...
  local label=$1 dir=$2; shift 2
  local json="$work/$label.json"
  (cd "$dir" && hyperfine --warmup 1 --runs "$runs" --export-json "$json" --prepare "${PREPARE:-true}" "$*" >/dev/null 2>&1) || {
    printf '%-8s %-7s failed\n' "$label" "$n"; return; }
  local median
  median=$(python3 -c "import json,statistics;print('%.2f'%statistics.median(json.load(open('$json'))['results'][0]['times']))")
  local stats
  (cd "$dir" && eval "${PREPARE:-true}" && /usr/bin/time -o "$work/time.txt" -f '%M %P %U %S' sh -c "$*" >/dev/null 2>&1) || true
  stats=$(tail -1 "$work/time.txt")
  read -r rss cpu user sys <<<"$stats"
  printf '%-8s %7s %10s s %9s MB %8s  %6.2f s/1000\n' "$label" "$n" "$median" "$((rss / 1024))" "$cpu" \
    "$(python3 -c "print($median*1000/$n)")"
}

printf '%-8s %7s %12s %12s %8s  %s\n' tool lessons "median wall" "peak RSS" CPU "per 1000 lessons"
for n in "${sizes[@]}"; do
  base="$work/c$n"
  "$repo/target/release/examples/corpus" --lessons "$n" --out "$base/hocso" --zola "$base/zola" --hugo "$base/hugo" \
    --mdbook "$base/mdbook" >/dev/null
  PREPARE="rm -rf $work/floor-$n" measure floor "$base/hocso" "cp -r content $work/floor-$n"
  PREPARE="rm -rf public" measure hocso "$base/hocso" "$hocso build -q"
  if command -v hugo >/dev/null; then
    PREPARE="rm -rf public" measure hugo "$base/hugo" "hugo --quiet"
  fi
  if command -v zola >/dev/null; then
    PREPARE="rm -rf public" measure zola "$base/zola" "zola build"
  fi
  if [ -x "$mdbook" ]; then
    PREPARE="rm -rf book" measure mdbook "$base/mdbook" "$mdbook build"
  fi
done
