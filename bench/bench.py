"""Side-by-side benchmarks of spark-aistore against the practical limits and the alternatives.

    bench/run [--quick]

Every measurement is one process (a JVM, or Python), started fresh, measured from the outside:
throughput from the time of the work itself (reported by the process, without JVM or Spark start-up),
CPU seconds and peak memory (max RSS) of the whole process from the kernel (wait4). Each case runs
several times; the tables show medians. Results go to bench/results/results.json, the plots to
bench/results/*.png, and the tables into BENCHMARKS.md between its generated-table markers.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "bench", "results")
MIB = 1 << 20
# Scenarios whose plot shows items/s rather than MB/s.
PLOTTED_BY_ITEMS = {"shard-read-small-samples"}
S3_REVERSE_PROXY = 1 << 13  # AIS feature flag "S3-Reverse-Proxy" (cmn/feat/feat.go, AIS v1.5.0)
SELECTIONS = "selections"
# What bench/src/.../Selections.java reports for each case and timed pass, beside its name.
SELECTION_FIELDS = dict(rows="rows", checksum="checksum", ais_bytes="aisBytes", ais_bytes_skipped="aisBytesSkipped",
                        indexed_shards="aisIndexedShards", requests="aisRequests")

FULL = dict(runs=3, parallelism=2, shards=16, samples_per_shard=320, jpg=200 << 10,
            tiny_shards=8, tiny_samples=5000, tiny_jpg=4 << 10,
            small_count=20000, small_size=4 << 10, large_size=1 << 30,
            big_shards=2, big_samples=320, big_jpg=2 << 20, big_heap="384m",
            write_samples=2400, delays_ms=[0, 2, 10], sel_samples=20000, sel_jpg=100 << 10)
QUICK = dict(runs=2, parallelism=2, shards=4, samples_per_shard=160, jpg=200 << 10,
             tiny_shards=2, tiny_samples=2000, tiny_jpg=4 << 10,
             small_count=3000, small_size=4 << 10, large_size=256 << 20,
             big_shards=1, big_samples=200, big_jpg=2 << 20, big_heap="256m",
             write_samples=600, delays_ms=[0, 10], sel_samples=2000, sel_jpg=100 << 10)


def java_command(classpath, heap, args):
    # Every JVM reads HTTP bodies in 128 KiB buffers, as the connector sets for itself (raw drains too).
    return (["java", "-Xmx" + heap, "-Djdk.httpclient.bufsize=131072", "@" + os.path.join(ROOT, "spark-jvm-flags"),
             "-cp", classpath, "io.sparkaistore.bench.BenchMain"] + args)


def measure(command, env=None):
    """Runs a command; returns its reported work time, bytes and items, and its CPU time and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, **(env or {})))
    out_chunks = []
    reader = threading.Thread(target=lambda: out_chunks.append(process.stdout.read()))
    err_chunks = []
    err_reader = threading.Thread(target=lambda: err_chunks.append(process.stderr.read()))
    reader.start()
    err_reader.start()
    _, status, usage = os.wait4(process.pid, 0)  # this process's own CPU time and peak memory
    reader.join()
    err_reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    out = "".join(out_chunks)
    if process.returncode != 0:
        errors = [line for line in "".join(err_chunks).splitlines() if "Exception" in line or "Error" in line]
        raise RuntimeError("%s failed (%d):\n%s\n%s" % (" ".join(command[-6:]), process.returncode, out[-2000:],
                                                        "\n".join(errors[:10])))
    reported = re.search(r"ELAPSED seconds=([0-9.]+)", out)
    elapsed = float(reported.group(1)) if reported else time.perf_counter() - started
    result = re.search(r"RESULT bytes=(\d+) items=(\d+)", out)
    # Java cases report the CPU time of their timed run; otherwise the whole process's counts.
    cpu = re.search(r"CPU seconds=([0-9.]+)", out)
    return dict(seconds=elapsed, wall=time.perf_counter() - started, bytes=int(result.group(1)),
                items=int(result.group(2)), cpu=float(cpu.group(1)) if cpu else usage.ru_utime + usage.ru_stime,
                rss_mb=usage.ru_maxrss / 1024, out=out)


class Bench:
    def __init__(self, cfg, endpoint, classpath, python):
        self.cfg, self.endpoint, self.classpath, self.python = cfg, endpoint, classpath, python
        self.results = []

    def java(self, heap, *args, env=None):
        return measure(java_command(self.classpath, heap, list(args)), env)

    def case(self, scenario, name, run):
        for i in range(self.cfg["runs"]):
            r = run()
            r.pop("out")
            r.update(scenario=scenario, case=name, run=i)
            self.results.append(r)
            print("  %-14s %-34s %8.1f MB/s %10.0f items/s  cpu %6.1fs  rss %6.0f MB" % (
                scenario, name, r["bytes"] / r["seconds"] / 1e6, r["items"] / r["seconds"], r["cpu"], r["rss_mb"]),
                flush=True)

    def prepare(self):
        c, e = self.cfg, "endpoint=" + self.endpoint
        print("preparing data...", flush=True)
        self.java("1g", "prepare-shards", e, "bucket=bench", "prefix=shards/", "shards=%d" % c["shards"],
                  "samples=%d" % c["samples_per_shard"], "jpgBytes=%d" % c["jpg"])
        self.java("1g", "prepare-shards", e, "bucket=bench", "prefix=tiny/", "shards=%d" % c["tiny_shards"],
                  "samples=%d" % c["tiny_samples"], "jpgBytes=%d" % c["tiny_jpg"])
        self.java("1g", "prepare-shards", e, "bucket=bench", "prefix=big/", "shards=%d" % c["big_shards"],
                  "samples=%d" % c["big_samples"], "jpgBytes=%d" % c["big_jpg"])
        self.java("1g", "prepare-objects", e, "bucket=bench", "prefix=small/", "count=%d" % c["small_count"],
                  "size=%d" % c["small_size"])
        self.java("1g", "prepare-objects", e, "bucket=bench", "prefix=large.bin", "count=1",
                  "size=%d" % c["large_size"])

    def cluster_features(self, flags, replace=False):
        """Sets AIS's cluster feature flags (ORed into the current ones unless replace); returns the old ones.
        Feature flags cannot be set transiently: this changes the cluster's persistent configuration."""
        config = json.loads(subprocess.check_output(["curl", "-sf", self.endpoint + "/v1/cluster?what=cluster_config"]))
        old = int(config["features"])
        subprocess.check_call(["curl", "-sf", "-X", "PUT", "%s/v1/cluster/set-config?features=%d" % (
            self.endpoint, flags if replace else old | flags)])
        return old

    def s3a_settings(self):
        """What S3A needs for AIS's S3 API: the proxy's /s3 endpoint, path-style URLs (no bucket host names),
        a region (else the SDK looks for one, seconds), any credentials (AIS without AuthN ignores them)."""
        return ["hadoop.fs.s3a.endpoint=%s/s3" % self.endpoint, "hadoop.fs.s3a.path.style.access=true",
                "hadoop.fs.s3a.endpoint.region=us-east-1", "hadoop.fs.s3a.access.key=ais",
                "hadoop.fs.s3a.secret.key=ais"]

    def shard_reads_side_by_side(self, scenario, prefix, shards):
        """The raw drain, the connector and the Python webdataset reader over the same shards."""
        e, p = "endpoint=" + self.endpoint, "parallelism=%d" % self.cfg["parallelism"]
        urls = ["%s/v1/objects/bench/%sshard-%06d.tar?provider=ais" % (self.endpoint, prefix, i) for i in range(shards)]
        self.case(scenario, "raw HTTP drain", lambda: self.java("1g", "raw-drain", e, "bucket=bench",
                                                                  "prefix=" + prefix, p))
        self.case(scenario, "spark-aistore webdataset", lambda: self.java(
            "2g", "spark-read", e, p, "path=ais://bench/" + prefix, "opt.endpoint=" + self.endpoint,
            "opt.layout=webdataset"))
        self.case(scenario, "python webdataset", lambda: measure(
            [self.python, os.path.join(ROOT, "bench", "pyreaders.py"), str(self.cfg["parallelism"])] + urls))

    def shard_reads(self):
        c, e, p = self.cfg, "endpoint=" + self.endpoint, "parallelism=%d" % self.cfg["parallelism"]
        self.shard_reads_side_by_side("shard-read", "shards/", c["shards"])
        # What a Spark user does today: binaryFile over AIS's S3 API (S3A), the tars parsed in Spark.
        # The AWS SDK does not follow AIS's 307 redirects to the targets: the proxy must forward instead.
        # binaryFile holds whole shards in rows, several copies per task: 2g failed once with 64 MB shards.
        restore = self.cluster_features(S3_REVERSE_PROXY)
        try:
            self.case("shard-read", "spark binaryFile + S3A (AIS /s3)", lambda: self.java(
                "3g", "s3a-binaryfile", p, "path=s3a://bench/shards/*.tar", *self.s3a_settings()))
        finally:
            self.cluster_features(restore, replace=True)
        # Samples of a few KiB: per-sample costs, not bytes, decide the samples/s.
        self.shard_reads_side_by_side("shard-read-small-samples", "tiny/", c["tiny_shards"])
        self.case("shard-read-big", "spark-aistore, heap " + c["big_heap"], lambda: self.java(
            c["big_heap"], "spark-read", e, p, "path=ais://bench/big/", "opt.endpoint=" + self.endpoint,
            "opt.layout=webdataset"))

    def small_objects(self):
        e, p = "endpoint=" + self.endpoint, "parallelism=%d" % self.cfg["parallelism"]
        self.case("small-objects", "raw HTTP drain", lambda: self.java("1g", "raw-drain", e, "bucket=bench",
                                                                         "prefix=small/", p))
        for open_cost in ("4m", "256k"):
            for batch in ("1", "64"):
                self.case("small-objects", "objects, openCost %s, getBatch %s" % (open_cost, batch), lambda: self.java(
                    "2g", "spark-read", e, p, "path=ais://bench/small/", "opt.endpoint=" + self.endpoint,
                    "opt.getBatchSize=" + batch, "opt.openCostInBytes=" + open_cost))

    def large_object(self):
        for delay in self.cfg["delays_ms"]:
            endpoint, proxy = self.endpoint, None
            if delay:
                # Reads go straight to the target (AIS serves GETs there), through a delaying proxy.
                target = json.loads(subprocess.check_output(["curl", "-s", self.endpoint + "/v1/daemon?what=smap"]))
                url = next(iter(target["tmap"].values()))["public_net"]["direct_url"]
                proxy = subprocess.Popen(java_command(self.classpath, "512m", [
                    "delay-proxy", "port=18999", "upstream=" + url.split("//")[1], "delayMs=%g" % (delay / 2)]),
                    stdout=subprocess.PIPE, text=True)
                proxy.stdout.readline()
                endpoint = "http://127.0.0.1:18999"
            scenario = "large-object" + ("-rtt%dms" % delay if delay else "")
            e = "endpoint=" + endpoint
            try:
                self.case(scenario, "single GET stream", lambda: self.java(
                    "1g", "range-read", e, "bucket=bench", "object=large.bin", "threads=0"))
                for threads, chunk in ((4, 4 * MIB), (8, 8 * MIB), (16, 8 * MIB)):
                    self.case(scenario, "parallel ranges %dx%dMiB" % (threads, chunk // MIB), lambda: self.java(
                        "1g", "range-read", e, "bucket=bench", "object=large.bin", "threads=%d" % threads,
                        "chunk=%d" % chunk))
            finally:
                if proxy:
                    proxy.kill()
                    proxy.wait()

    def selections(self):
        """Selections of the samples of indexed shards (written by the connector, so each has its DALI index), each
        read through the indexes and with useIndex=false, all in one JVM (Selections.java): each timed pass runs
        every case, so load from outside falls on both variants of a selection alike. The JVM checks every
        answer (the rows expected, the same rows and checksum in both variants and in every pass)."""
        c, e, p = self.cfg, "endpoint=" + self.endpoint, "parallelism=%d" % self.cfg["parallelism"]
        path, samples = "path=ais://bench/selections/", "samples=%d" % c["sel_samples"]
        print("preparing indexed shards...", flush=True)
        self.java("3g", "spark-write", e, p, "bucket=bench", path, samples, "jpgBytes=%d" % c["sel_jpg"], "warmups=0")
        process = self.java("2g", "spark-selections", e, p, path, samples, "seed=16", "opt.endpoint=" + self.endpoint,
                            "opt.layout=webdataset", "warmups=1", "runs=%d" % c["runs"])
        for line in re.findall(r"^CASE (.*)$", process["out"], re.M):
            fields, name = line.split(" name=", 1)
            reported = dict(field.split("=", 1) for field in fields.split())
            r = dict(scenario=SELECTIONS, case=name, run=int(reported["run"]), seconds=float(reported["seconds"]),
                     cpu=float(reported["cpu"]), rss_mb=process["rss_mb"])
            r.update({key: reported[field] if key == "checksum" else int(reported[field])
                      for key, field in SELECTION_FIELDS.items()})
            r.update(bytes=r["ais_bytes"], items=r["rows"])
            self.results.append(r)
            print("  %-14s %-44s %7.2f s %10.1f MB fetched %6d requests" % (
                SELECTIONS, name, r["seconds"], r["ais_bytes"] / 1e6, r["requests"]), flush=True)

    def writes(self):
        c, e, p = self.cfg, "endpoint=" + self.endpoint, "parallelism=%d" % self.cfg["parallelism"]
        self.case("shard-write", "spark-aistore webdataset", lambda: self.java(
            "3g", "spark-write", e, p, "bucket=bench", "path=ais://bench/written/",
            "samples=%d" % c["write_samples"], "jpgBytes=%d" % c["jpg"]))
        self.case("shard-write", "spark-aistore, shardNames=partition", lambda: self.java(
            "3g", "spark-write", e, p, "bucket=bench", "path=ais://bench/written-bypart/",
            "samples=%d" % c["write_samples"], "jpgBytes=%d" % c["jpg"], "opt.shardNames=partition"))
        self.case("shard-write", "raw HTTP PUT, same sizes", lambda: self.java(
            "1g", "raw-put", e, p, "bucket=bench", "like=written/shard-", "target=rawput/obj-"))


def summarize(results):
    rows = {}
    for r in results:
        rows.setdefault((r["scenario"], r["case"]), []).append(r)
    summary = []
    for (scenario, case), runs in rows.items():
        med = lambda key: statistics.median(x[key] for x in runs)
        summary.append(dict(scenario=scenario, case=case, mbps=statistics.median(x["bytes"] / x["seconds"] / 1e6 for x in runs),
                            items_per_s=statistics.median(x["items"] / x["seconds"] for x in runs),
                            seconds=med("seconds"), cpu=med("cpu"), rss_mb=med("rss_mb"), runs=len(runs),
                            bytes=runs[0]["bytes"], items=runs[0]["items"]))
        if "checksum" in runs[0]:
            summary[-1].update({key: runs[0][key] if key == "checksum" else med(key) for key in SELECTION_FIELDS})
    baselines = {"shard-read": "raw HTTP drain", "shard-read-small-samples": "raw HTTP drain", "shard-read-big": None,
                 "small-objects": "raw HTTP drain",
                 "shard-write": "raw HTTP PUT, same sizes"}
    for s in summary:
        base_case = baselines.get(s["scenario"], "single GET stream")
        base = next((b for b in summary if b["scenario"] == s["scenario"] and b["case"] == base_case), None)
        s["ratio"] = s["mbps"] / base["mbps"] if base else None
        if s["scenario"] == SELECTIONS:
            # How many times faster than the full scan: bytes fetched per second would favour fetching more.
            base = next(b for b in summary if b["scenario"] == SELECTIONS and b["case"] == "full scan")
            s["ratio"] = base["seconds"] / s["seconds"]
    return summary


def selections_table(rows):
    lines = ["| case | s | vs full scan | rows | MB fetched | MB skipped | shards via index | requests | CPU s "
             "| peak RSS MB |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in rows:
        lines.append("| %s | %.2f | %.1fx | %d | %.1f | %.1f | %d | %d | %.1f | %.0f |" % (
            s["case"], s["seconds"], s["ratio"], s["rows"], s["ais_bytes"] / 1e6, s["ais_bytes_skipped"] / 1e6,
            s["indexed_shards"], s["requests"], s["cpu"], s["rss_mb"]))
    return lines


def table(summary):
    lines = []
    for scenario in dict.fromkeys(s["scenario"] for s in summary):
        lines.append("\n**%s**\n" % scenario)
        if scenario == SELECTIONS:
            lines += selections_table([x for x in summary if x["scenario"] == scenario])
            continue
        lines.append("| case | MB/s | items/s | ratio | s | CPU s | peak RSS MB |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for s in (x for x in summary if x["scenario"] == scenario):
            lines.append("| %s | %.1f | %.0f | %s | %.2f | %.1f | %.0f |" % (
                s["case"], s["mbps"], s["items_per_s"], "%.2f" % s["ratio"] if s["ratio"] else "", s["seconds"],
                s["cpu"], s["rss_mb"]))
    return "\n".join(lines) + "\n"


def plot(summary):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for scenario in dict.fromkeys(s["scenario"] for s in summary):
        rows = [s for s in summary if s["scenario"] == scenario]
        if scenario == SELECTIONS:
            plot_selections(plt, rows)
            continue
        key, unit = ("items_per_s", "samples/s") if scenario in PLOTTED_BY_ITEMS else ("mbps", "MB/s")
        if scenario in PLOTTED_BY_ITEMS:
            rows = [r for r in rows if not r["case"].startswith("raw")]  # its items are objects, not samples
        fig, ax = plt.subplots(figsize=(8, 0.6 * len(rows) + 1.2))
        ax.barh([r["case"] for r in rows][::-1], [r[key] for r in rows][::-1], color="#4a7ab5")
        for i, r in enumerate(rows[::-1]):
            ax.text(r[key], i, " %.0f %s" % (r[key], unit), va="center", fontsize=8)
        ax.set_xlabel("%s (median)" % unit)
        ax.set_title(scenario)
        fig.tight_layout()
        fig.savefig(os.path.join(RESULTS, scenario + ".png"), dpi=100)
        plt.close(fig)


def plot_selections(plt, rows):
    """Time and bytes fetched side by side, each selection through the indexes and streamed."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 0.45 * len(rows) + 1.4), sharey=True)
    names = [r["case"] for r in rows][::-1]
    colors = ["#b5854a" if "useIndex=false" in n else "#4a7ab5" for n in names]
    for ax, key, scale, unit in ((axes[0], "seconds", 1, "s"), (axes[1], "ais_bytes", 1e6, "MB fetched")):
        values = [r[key] / scale for r in rows][::-1]
        ax.barh(names, values, color=colors)
        for i, v in enumerate(values):
            ax.text(v, i, " %.0f" % v if v >= 100 else " %.3g" % v, va="center", fontsize=8)
        ax.margins(x=0.15)
        ax.set_xlabel("%s (median)" % unit)
    fig.suptitle("selections (blue: through the indexes; brown: useIndex=false)")
    fig.tight_layout()
    fig.savefig(os.path.join(RESULTS, SELECTIONS + ".png"), dpi=100)
    plt.close(fig)


def update_report(summary, quick):
    path = os.path.join(ROOT, "BENCHMARKS.md")
    begin, end = "<!-- results:begin (bench/bench.py writes this) -->", "<!-- results:end -->"
    with open(path) as f:
        doc = f.read()
    note = "Quick run (`bench/run --quick`): small data, fewer repetitions.\n" if quick else ""
    doc = doc[:doc.index(begin) + len(begin)] + "\n" + note + table(summary) + doc[doc.index(end):]
    with open(path, "w") as f:
        f.write(doc)


def main():
    quick = "--quick" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else None
    cfg = QUICK if quick else FULL
    endpoint, classpath, python = os.environ["AIS_ENDPOINT"], os.environ["BENCH_CLASSPATH"], sys.executable
    bench = Bench(cfg, endpoint, classpath, python)
    steps = dict(reads=bench.shard_reads, small=bench.small_objects, large=bench.large_object, writes=bench.writes,
                 selections=bench.selections)
    chosen = only or list(steps)
    if set(chosen) & {"reads", "small", "large"}:
        bench.prepare()
    for name in chosen:
        steps[name]()
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, "results.json")
    results = bench.results
    if only:
        # Rerun scenarios replace theirs in the last results; within a scenario every case is from one run.
        with open(path) as f:
            rerun = {r["scenario"] for r in bench.results}
            results = [r for r in json.load(f)["results"] if r["scenario"] not in rerun] + bench.results
    summary = summarize(results)
    with open(path, "w") as f:
        json.dump(dict(config=cfg, quick=quick, results=results, summary=summary), f, indent=1)
    plot(summary)
    update_report(summary, quick)
    print(table(summary))


if __name__ == "__main__":
    main()
