"""Run in a fresh venv where only pyspark and the spark_aistore wheel are installed.

Checks what the package promises (the jar for the installed pyspark, a clear error for a Spark it has
no jar for, jars already set are kept), then writes objects to AIS and reads them back through a
session that `spark_aistore.configure` set up. Prints one JSON line with what it saw.
"""
import json
import os
import sys

import pyspark
import spark_aistore
from pyspark.sql import SparkSession

endpoint, path = sys.argv[1], sys.argv[2]

jar = spark_aistore.jar_path()
lines = {f"{v}/{s}": os.path.basename(spark_aistore.jar_path(v, s))
         for v, s in [("3.5.9", "2.12"), ("3.5.1", "2.13"), ("4.0.5", "2.13"), ("4.3.0", "2.13")]}
try:
    spark_aistore.jar_path("3.4.1", "2.12")
    unsupported = None
except RuntimeError as e:
    unsupported = str(e)

builder = SparkSession.builder.master("local[1]").config("spark.jars", "/nonexistent/other.jar")
jars = spark_aistore.configure(builder)._options["spark.jars"]
builder._options["spark.jars"] = jar  # the other jar does not exist: start Spark with ours alone

spark = builder.config("spark.ui.enabled", "false").getOrCreate()
rows = [(f"obj-{i:02d}", bytes([i]) * (i + 1)) for i in range(10)]
spark.createDataFrame(rows, "name string, content binary").write.format("ais") \
    .option("endpoint", endpoint).save(path)
back = spark.read.format("ais").option("endpoint", endpoint).load(path).select("name", "content").collect()
spark.stop()

print(json.dumps({
    "pyspark": pyspark.__version__,
    "jar": os.path.basename(jar),
    "jar_exists": os.path.isfile(jar),
    "lines": lines,
    "unsupported": unsupported,
    "jars": jars,
    "read": sorted([r["name"], r["content"].hex()] for r in back),
}))
