#!/usr/bin/env bash
# Side-by-side build benchmark: hocso against the peers installed here, on the same corpus.
#
#   benches/compare.sh [N ...]        (default: 1000 10000)
#
# For each N it writes a deterministic corpus of N Vietnamese lessons (examples/corpus.rs) in
# hocso's, Hugo's, Zola's and mdBook's layouts, then times each tool with hyperfine (median of 5
# runs after one warm-up), CPU time from hyperfine and peak memory from /usr/bin/time -v
# ("Maximum resident set size", every timed run). Three kinds of build:
#   cold       no output folder (and, see `aside`, no freshly deleted files);
#   unchanged  the same build again over its own output (hocso: staging + atomic swap, reusing
#              unchanged files; Zola: `zola build --force`, its way to build over an output);
#   edited     one lesson's text changed before each run (a new sentence appended).
# "written" counts the files / folders of the output that are new after one more run (a new
# inode or modification time): what the build really wrote, whatever it says.
# "floor" is copying the corpus (cp -r), the least any generator can do.
# Peers are used when found: hugo (apt-get install hugo), zola (on PATH, or ZOLA=/path/to/zola),
# mdbook (cargo install mdbook; or MDBOOK=/path/to/mdbook); a missing one is named and skipped.
# HOCSO=/path/to/hocso times another hocso binary (e.g. an older build, for before/after);
# TOOLS="hocso zola" limits the tools; KINDS="cold unchanged edited" limits the builds.
# Not a test: nothing in `cargo test` depends on it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
sizes=("${@:-1000 10000}")
[ $# -eq 0 ] && sizes=(1000 10000)
work="${HOCSO_BENCH_DIR:-/tmp/hocso-bench}"
runs="${HOCSO_BENCH_RUNS:-5}"
tools="${TOOLS:-floor hocso hugo zola mdbook}"
kinds="${KINDS:-cold unchanged edited}"
mdbook="${MDBOOK:-$(command -v mdbook || true)}"
zola="${ZOLA:-$(command -v zola || true)}"
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 1; }

cd "$repo"
target="${CARGO_TARGET_DIR:-$repo/target}"
cargo build --release --quiet --bin hocso --example corpus
hocso="${HOCSO:-$target/release/hocso}"
mkdir -p "$work"
# Each cold run starts cold: the previous output is moved aside, not deleted. Deleting tens of
# thousands of files just before a build makes ext4 skip every recently freed inode while it
# allocates new ones (its `recently_deleted` check, ~30 s), which slowed builds here 2-3 times
# depending on how many files the *previous* run left. Everything moved aside is removed at exit.
trash="$work/trash"
mkdir -p "$trash"
trap 'rm -rf "$trash"' EXIT
aside() { echo "for d in $*; do if [ -e \$d ]; then mv \$d $trash/\$(date +%s%N); fi; done"; }
wanted() { [[ " $tools " == *" $1 "* ]]; }

# What one more run writes: files and folders of the output with a new inode or time.
written() { # dir output prepare command...
  local dir=$1 output=$2 prepare=$3; shift 3
  (cd "$dir" && bash -c "$prepare" && {
    find "$output" -printf '%y %i %T@ %p\n' 2>/dev/null | sort >"$work/before.list" || true
    eval "$*" >/dev/null 2>&1
    find "$output" -printf '%y %i %T@ %p\n' | sort >"$work/after.list"
    comm -13 "$work/before.list" "$work/after.list" |
      awk '$1 == "f" { f++ } $1 == "d" { d++ } END { printf "%d / %d", f, d }'
  })
}

measure() { # label kind dir output prepare command...
  local label=$1 kind=$2 dir=$3 output=$4 prepare=$5; shift 5
  local json="$work/$label-$kind-$n.json" rss="$work/$label-$kind-$n.rss"
  rm -f "$rss"
  # /usr/bin/time inside each timed run records its peak memory, so no extra run is needed.
  (cd "$dir" && hyperfine --warmup "${WARMUP:-1}" --runs "${RUNS:-$runs}" --export-json "$json" \
    --prepare "$prepare; sync" "/usr/bin/time -a -o $rss -v $*" >/dev/null 2>&1) ||
    { printf '%-8s %7s %-9s failed\n' "$label" "$n" "$kind"; return; }
  local files
  files="$(written "$dir" "$output" "$prepare" "$@")"
  python3 - "$json" "$label" "$n" "$rss" "$kind" "$files" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
label, n, kind, files = sys.argv[2], int(sys.argv[3]), sys.argv[5], sys.argv[6]
rss = max(int(line.split(":")[1]) for line in open(sys.argv[4]) if "Maximum resident set size" in line)
wall = statistics.median(r["times"])
cpu = r["user"] + r["system"]
print(f"{label:<8} {n:>7} {kind:<9} {wall:>9.2f} s {r['user']:>7.2f} s {r['system']:>7.2f} s {rss // 1024:>6} MiB {files:>17}",
      flush=True)
PY
}

# One tool's builds: cold, again unchanged, again after an edit of one lesson.
tool() { # label dir output cold-command [repeat-command]
  local label=$1 dir=$2 output=$3 cold=$4 again=${5:-$4}
  local lesson k="${KINDS:-$kinds}"
  lesson="$(cd "$dir" && find content src -name 'bai-1.md' 2>/dev/null | head -1 || true)"
  # Cold means without caches too (hocso keeps the search index's words in .hocso-cache/).
  [[ " $k " == *" cold "* ]] && measure "$label" cold "$dir" "$output" "$(aside "$output" .hocso-cache)" "$cold"
  [[ " $k " == *" unchanged "* ]] && measure "$label" unchanged "$dir" "$output" "true" "$again"
  [[ " $k " == *" edited "* ]] && [ -n "$lesson" ] &&
    measure "$label" edited "$dir" "$output" "echo \"Câu sửa \$(date +%s%N).\" >> $lesson" "$again"
  return 0
}

# Every tool's cold builds come first, for every size, and only then the repeated ones: those
# delete (hocso's swap removes the old folders, `zola build --force` the whole output), and on a
# file system without a journal ext4 then skips each recently freed inode while it allocates
# new ones (`recently_deleted`: for 60 s after a delete, 360 s while the inode table is unsaved),
# which made whichever tool came next build 1.5-2 times slower. For the same reason the previous
# corpus is moved aside, not deleted, and measuring starts after a `sync` (the new corpus written
# out, not flushed during the first builds) and a pause of HOCSO_BENCH_SETTLE seconds (default
# 65) for the deletes of whatever ran before. Each timed run starts with a `sync` too, so no run
# pays for writing out the one before it.
for n in "${sizes[@]}"; do
  base="$work/c$n"
  [ -e "$base" ] && mv "$base" "$trash/c$n-$(date +%s%N)"
  "$target/release/examples/corpus" --lessons "$n" --out "$base/hocso" --zola "$base/zola" --hugo "$base/hugo" \
    --mdbook "$base/mdbook" >/dev/null
done
sync
sleep "${HOCSO_BENCH_SETTLE:-65}"
printf '%-8s %7s %-9s %11s %9s %9s %10s %17s\n' tool lessons build "median wall" user sys "peak RSS" "written (f / d)"
# All builds of one phase (KINDS: cold; or unchanged and edited) for every size and tool.
phase() { # kinds
  local phase_kinds=$1
  for n in "${sizes[@]}"; do
    base="$work/c$n"
    if wanted floor && [[ " $phase_kinds " == *" cold "* ]]; then
      KINDS=cold tool floor "$base/hocso" "$work/floor-$n" "cp -r content $work/floor-$n"
    fi
    wanted hocso && KINDS="$phase_kinds" tool hocso "$base/hocso" public "$hocso build -q"
    if wanted hugo; then
      if command -v hugo >/dev/null; then KINDS="$phase_kinds" tool hugo "$base/hugo" public "hugo --quiet"
      else echo "hugo: not installed, skipped (apt-get install hugo)"; fi
    fi
    if wanted zola; then
      if [ -n "$zola" ] && [ -x "$zola" ]; then
        KINDS="$phase_kinds" tool zola "$base/zola" public "$zola build" "$zola build --force"
      else echo "zola: not on PATH (nor ZOLA=), skipped"; fi
    fi
    if wanted mdbook && [[ " $phase_kinds " == *" cold "* ]]; then
      if [ -n "$mdbook" ] && [ -x "$mdbook" ]; then
        # mdBook's time grows with the square of the book (every page carries the whole table of
        # contents): above 2,000 lessons one cold run, without a warm-up, is all it gets (>5 min).
        if [ "$n" -gt 2000 ]; then
          RUNS=1 WARMUP=0 KINDS=cold tool mdbook "$base/mdbook" book "$mdbook build"
        else
          KINDS=cold tool mdbook "$base/mdbook" book "$mdbook build"
        fi
      else
        echo "mdbook: not installed, skipped (cargo install mdbook, or MDBOOK=)"
      fi
    fi
  done
}
[[ " $kinds " == *" cold "* ]] && phase cold
repeated="$(for k in unchanged edited; do [[ " $kinds " == *" $k "* ]] && printf '%s ' "$k"; done)"
[ -n "$repeated" ] && phase "$repeated"
exit 0
