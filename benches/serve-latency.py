#!/usr/bin/env python3
"""Save → reload latency of `hocso serve` on a large site. Not a test: a benchmark to run by hand.

    python3 benches/serve-latency.py SITE_FOLDER [HOCSO_BINARY] [RUNS]

Starts `hocso serve` on SITE_FOLDER (e.g. the 10,000-lesson corpus that benches/compare.sh writes
to /tmp/hocso-bench/c10000/hocso), then for each kind of edit saves a lesson and times how long
until the live-reload long-poll (what an open tab waits on) answers with a new generation:
  text         one sentence appended to a lesson's body (the incremental path);
  front matter the lesson's title changed (a full rebuild: lists, neighbours, search index).
Every edit is undone at the end. Prints the median and the range of RUNS saves of each kind.
"""
import json, os, re, signal, socket, statistics, subprocess, sys, threading, time, urllib.request

site = os.path.abspath(sys.argv[1])
binary = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "target", "release", "hocso")
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen([binary, "serve", "--quiet", "--port", str(port)], cwd=site,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def get(path, timeout=60):
    with urllib.request.urlopen(base + path, timeout=timeout) as r:
        return r.read()


def generation():
    page = get("/").decode()
    return int(re.search(r'data-generation="(\d+)"', page).group(1))


lesson = next(os.path.join(d, f) for d, _, fs in sorted(os.walk(os.path.join(site, "content")))
              for f in sorted(fs) if f.endswith(".md") and not f.startswith("_"))
original = open(lesson, encoding="utf-8").read()


def timed(edit):
    since = generation()
    result = {}

    def wait():
        body = json.loads(get(f"/__hocso/wait?since={since}&error=0"))
        result["t"] = time.perf_counter()
        result["gen"] = body["generation"]

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.3)  # the long-poll is waiting
    start = time.perf_counter()
    with open(lesson, "w", encoding="utf-8") as f:
        f.write(edit)
    waiter.join()
    time.sleep(1.5)  # the search index follows in the background after a text edit
    return (result["t"] - start) * 1000


try:
    for _ in range(600):
        try:
            generation()
            break
        except Exception:
            time.sleep(0.1)
    kinds = {
        "text": lambda i: original + f"\nThêm một câu thứ {i}.\n",
        "front matter": lambda i: re.sub(r'title = "', f'title = "Sửa {i} ', original, count=1),
    }
    for name, edit in kinds.items():
        times = []
        for i in range(runs):
            times.append(timed(edit(i)))
            times_reset = timed(original)
        print(f"{name:<13} save → reload: median {statistics.median(times):7.0f} ms "
              f"(min {min(times):.0f}, max {max(times):.0f}, {runs} saves)", flush=True)
finally:
    open(lesson, "w", encoding="utf-8").write(original)
    server.send_signal(signal.SIGINT)
    server.wait(timeout=30)
