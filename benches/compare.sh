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
  local json="$work/$label-$n.json"
  (cd "$dir" && hyperfine --warmup 1 --runs "$runs" --export-json "$json" --prepare "$(aside "$output")" "$*" \
    >/dev/null 2>&1) || { printf '%-8s %7s failed\n' "$label" "$n"; return; }
  (cd "$dir" && eval "$(aside "$output")" && /usr/bin/time -o "$work/time.txt" -f '%M' sh -c "$*" >/dev/null 2>&1) || true
  local rss
  rss=$(tail -1 "$work/time.txt")
  python3 - "$json" "$label" "$n" "$rss" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
label, n, rss = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
wall = statistics.median(r["times"])
cpu = r["user"] + r["system"]
print(f"{label:<8} {n:>7} {wall:>9.2f} s {cpu:>8.2f} s {cpu / r['mean']:>7.2f} {rss // 1024:>8} MB {wall * 1000 / n:>9.2f} s")
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
    measure mdbook "$base/mdbook" book "$mdbook build"
  fi
done
