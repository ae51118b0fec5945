"""The smoke suite of one Spark line (SparkLinesIT), run by the PySpark of that line with the runtime
jar built for it: every layout written or read, SQL, and a read through a 503 that the test's fault
proxy answers in front of the gateway. Prints one JSON line with what it saw; the test compares it
with what it wrote.

    python spark_line_job.py JAR AIS_ENDPOINT BUCKET PREFIX FAULT_BUCKET [SPARK_CONF=VALUE ...]

AIS_ENDPOINT is the fault proxy; its first listing of FAULT_BUCKET, which only the last step reads,
is answered 503.
"""
import hashlib
import json
import sys

import pyspark
from pyspark.sql import SparkSession

jar, endpoint, bucket, prefix, fault_bucket = sys.argv[1:6]
base = f"ais://{bucket}/{prefix}"
SAMPLES = 40


def content(i):
    return hashlib.sha256(str(i).encode()).digest() * (1 + i % 5)


builder = (SparkSession.builder.master("local[2]").appName("spark-aistore smoke")
           .config("spark.jars", jar)
           .config("spark.ui.enabled", "false")
           .config("spark.sql.shuffle.partitions", "2")
           .config("spark.datasource.ais.endpoint", endpoint))
for setting in sys.argv[6:]:
    key, value = setting.split("=", 1)
    builder = builder.config(key, value)
spark = builder.getOrCreate()


def digest(rows):
    """Order-free summary of (name, bytes) pairs: count and one hash over the sorted pairs."""
    h = hashlib.sha256()
    for name, data in sorted(rows):
        h.update(name.encode() + b"\0" + bytes(data) + b"\0")
    return {"count": len(rows), "sha256": h.hexdigest()}


seen = {"pyspark": pyspark.__version__, "spark": spark.version,
        "scala": spark.sparkContext._jvm.scala.util.Properties.versionNumberString()}

# objects: written and read back.
objects = [(f"o-{i:03d}", content(i)) for i in range(SAMPLES)]
spark.createDataFrame(objects, "name string, content binary").repartition(3) \
    .write.format("ais").save(base + "objects/")
seen["objects_written"] = digest(objects)
back = spark.read.format("ais").load(base + "objects/").select("name", "content").collect()
seen["objects_read"] = digest([(r["name"][len(prefix) + len("objects/"):], r["content"]) for r in back])

# webdataset: two shard sets of the same keys, written and read back.
samples = [(f"s-{i:03d}", content(i), i % 7) for i in range(SAMPLES)]
frame = spark.createDataFrame(samples, "__key__ string, bin binary, cls int").repartition(2)
frame.write.format("ais").option("layout", "webdataset").option("maxSamplesPerShard", "8") \
    .save(base + "wds/")
frame.select("__key__", "cls").write.format("ais").option("layout", "webdataset") \
    .option("maxSamplesPerShard", "8").option("shardNames", "partition").save(base + "labels/")
wds = spark.read.format("ais").option("layout", "webdataset").load(base + "wds/").collect()
seen["wds_written"] = digest([(k, b + str(c).encode()) for k, b, c in samples])
seen["wds_read"] = digest([(r["__key__"], r["bin"] + r["cls"]) for r in wds])



# reads through the shards' DALI indexes: a key filter, the keys alone (which only the indexes
# answer) and a sample give the rows of a streamed read (useIndex false), and some rows.
def indexed_equals_streamed(query):
    rows = []
    for use_index in ("true", "false"):
        ds = spark.read.format("ais").option("layout", "webdataset") \
            .option("useIndex", use_index).load(base + "wds/")
        rows.append(sorted([bytes(v) if isinstance(v, (bytes, bytearray)) else v for v in r]
                           for r in query(ds).collect()))
    return [rows[0] == rows[1], len(rows[0])]


seen["indexed_reads"] = [
    indexed_equals_streamed(lambda ds: ds.where(ds["__key__"].isin([f"s-{i:03d}" for i in (0, 9, 18)]))),
    indexed_equals_streamed(lambda ds: ds.select("__key__", "__url__")),
    indexed_equals_streamed(lambda ds: ds.sample(0.5, 7)),
]

# members: a row per file of the shards.
members = spark.read.format("ais").option("layout", "members").load(base + "wds/").collect()
seen["members_read"] = digest([(r["path"], r["content"]) for r in members])
seen["members_written"] = digest(
    [(f"{k}.bin", b) for k, b, _ in samples] + [(f"{k}.cls", str(c).encode()) for k, _, c in samples])

# zipped: the two shard sets in lockstep, file by file.
zipped = spark.read.format("ais").option("layout", "zipped") \
    .load([base + "wds/", base + "labels/"]).count()
seen["zipped_rows"] = zipped

# SQL: a catalog table, INSERT INTO, read back through SQL.
spark.sql("DROP TABLE IF EXISTS smoke_objects")
spark.sql(f"CREATE TABLE smoke_objects USING ais OPTIONS (path '{base}sql/')")
spark.sql("INSERT INTO smoke_objects SELECT concat('q-', CAST(id AS STRING)) AS name, "
          "CAST(repeat('x', CAST(id AS INT) + 1) AS BINARY) AS content FROM range(5)")
seen["sql_read"] = sorted(
    [r[0][len(prefix) + len("sql/"):], len(r[1])]
    for r in spark.sql("SELECT name, content FROM smoke_objects").collect())

# one fault: the listing of the fault bucket is answered 503 once, and retried.
fault_read = spark.read.format("ais").load(f"ais://{fault_bucket}/").select("name", "content").collect()
seen["after_fault"] = sorted([r["name"], hashlib.sha256(r["content"]).hexdigest()] for r in fault_read)

spark.stop()
print(json.dumps(seen))
