#!/usr/bin/env bash
# Side-by-side build benchmark: hocso against the peers installed here, on the same corpus.
#
#   benches/compare.sh [N ...]        (default: 1000 10000)
#
# For each N it writes a deterministic corpus of N Vietnamese lessons (examples/corpus.rs) in
# hocso's, Hugo's and Zola's layouts, then times a cold build with hyperfine (median of 5 runs
# after one warm-up), with CPU time from hyperfine and peak memory from /usr/bin/time. "floor" is copying
# the corpus (cp -r), the least any generator can do. Peers are used when on PATH:
# hugo (apt-get install hugo), zola, mdbook (cargo install mdbook; or set MDBOOK=/path/to/mdbook).
# Every tool starts cold: no output folder, and (see `aside`) no freshly deleted files.
# HOCSO=/path/to/hocso times another hocso binary (e.g. an older build, for before/after).
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
hocso="${HOCSO:-$repo/target/release/hocso}"
mkdir -p "$work"
# Each timed run starts cold: the previous output is moved aside, not deleted. Deleting tens of
# thousands of files just before a build makes ext4 skip every recently freed inode while it
# allocates new ones (its `recently_deleted` check, ~30 s), which slowed builds here 2-3 times
# depending on how many files the *previous* run left. Everything moved aside is removed at exit.
trash="$work/trash"
mkdir -p "$trash"
trap 'rm -rf "$trash"' EXIT
aside() { echo "for d in $*; do if [ -e \$d ]; then mv \$d $trash/\$(date +%s%N); fi; done"; }

measure() { # label dir output command...
  local label=$1 dir=$2 output=$3; shift 3
  local json="$work/$label-$n.json" rss="$work/$label-$n.rss"
  rm -f "$rss"
  # /usr/bin/time inside each timed run records its peak memory, so no extra run is needed.
  (cd "$dir" && hyperfine --warmup "${WARMUP:-1}" --runs "${RUNS:-$runs}" --export-json "$json" \
    --prepare "$(aside "$output")" "/usr/bin/time -a -o $rss -f %M $*" >/dev/null 2>&1) ||
    { printf '%-8s %7s failed\n' "$label" "$n"; return; }
  python3 - "$json" "$label" "$n" "$rss" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
label, n = sys.argv[2], int(sys.argv[3])
rss = max(int(line) for line in open(sys.argv[4]) if line.strip().isdigit())
wall = statistics.median(r["times"])
cpu = r["user"] + r["system"]
print(f"{label:<8} {n:>7} {wall:>9.2f} s {cpu:>8.2f} s {cpu / r['mean']:>7.2f} {rss // 1024:>8} MB {wall * 1000 / n:>9.2f} s",
      flush=True)
PY
}

printf '%-8s %7s %11s %10s %7s %11s %11s\n' tool lessons "median wall" "CPU time" "CPU/wall" "peak RSS" "per 1000"
for n in "${sizes[@]}"; do
  base="$work/c$n"
  "$repo/target/release/examples/corpus" --lessons "$n" --out "$base/hocso" --zola "$base/zola" --hugo "$base/hugo" \
    --mdbook "$base/mdbook" >/dev/null
  measure floor "$base/hocso" "$work/floor-$n" "cp -r content $work/floor-$n"
  measure hocso "$base/hocso" public "$hocso build -q"
  if command -v hugo >/dev/null; then
    measure hugo "$base/hugo" public "hugo --quiet"
  fi
  if command -v zola >/dev/null; then
    measure zola "$base/zola" public "zola build"
  fi
  if [ -n "$mdbook" ] && [ -x "$mdbook" ]; then
    # mdBook's time grows with the square of the book (every page carries the whole table of
    # contents): above 2,000 lessons one run, without a warm-up, is all it gets (>5 min each).
    if [ "$n" -gt 2000 ]; then
      RUNS=1 WARMUP=0 measure mdbook "$base/mdbook" book "$mdbook build"
    else
      measure mdbook "$base/mdbook" book "$mdbook build"
    fi
  fi
done
