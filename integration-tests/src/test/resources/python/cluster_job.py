"""A job for a real standalone Spark cluster (StandaloneClusterIT): writes WebDataset shards to AIS and
reads them back, and in each of the two stages SIGKILLs the executor that runs one task's first
attempt, halfway through that task. Prints one JSON line: what was read, checked sample by sample.

    python cluster_job.py MASTER_URL JAR AIS_ENDPOINT OUTPUT_PATH MARKER_DIR
"""
import hashlib
import json
import os
import signal
import sys

from pyspark import TaskContext
from pyspark.sql import SparkSession

master, jar, endpoint, path, markers = sys.argv[1:6]
SAMPLES, PARTITIONS = 1200, 4


def content(i):
    return hashlib.sha256(str(i).encode()).digest() * (1 + i % 7)


def kill_own_executor(stage):
    """SIGKILL the executor JVM this Python worker serves, once per stage, as a crash would."""
    with open(os.path.join(markers, f"killed-{stage}"), "x") as marker:
        pid = os.getpid()
        while pid > 1:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"CoarseGrainedExecutorBackend" in f.read():
                    marker.write(str(pid))
                    break
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])  # the parent's pid
    os.kill(pid, signal.SIGKILL)


def killing_first_attempt(stage, partition_to_kill):
    def run(index, items):
        ctx = TaskContext.get()
        for n, item in enumerate(items):
            if index == partition_to_kill and ctx.attemptNumber() == 0 and n == 100:
                kill_own_executor(stage)
            yield item
    return run


spark = (SparkSession.builder.master(master).appName("spark-aistore cluster job")
         .config("spark.jars", jar)
         .config("spark.executor.memory", "512m")
         .config("spark.executor.cores", "1")
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .getOrCreate())

samples = (spark.sparkContext.parallelize(range(SAMPLES), PARTITIONS)
           .mapPartitionsWithIndex(killing_first_attempt("write", 2))
           .map(lambda i: (f"sample-{i:05d}", content(i), str(i).encode())))
(spark.createDataFrame(samples, "__key__ string, bin binary, txt binary")
 .write.format("ais").option("endpoint", endpoint).option("layout", "webdataset")
 .option("maxSamplesPerShard", "100").save(path))

rows = (spark.read.format("ais").option("endpoint", endpoint).option("layout", "webdataset").load(path)
        .select("__key__", "bin", "txt").rdd
        .mapPartitionsWithIndex(killing_first_attempt("read", 1))
        .map(lambda r: (r[0], hashlib.sha256(r[1]).hexdigest(), bytes(r[2]).decode()))
        .collect())
spark.stop()

wrong = [key for key, digest, txt in rows
         if key != f"sample-{int(txt):05d}" or digest != hashlib.sha256(content(int(txt))).hexdigest()]
print(json.dumps({
    "rows": len(rows),
    "distinct": len({key for key, _, _ in rows}),
    "expected_keys": sorted(key for key, _, _ in rows) == [f"sample-{i:05d}" for i in range(SAMPLES)],
    "wrong": wrong[:10],
}))
