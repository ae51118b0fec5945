"""The quickstart in PySpark: the same job as io.sparkaistore.examples.Quickstart.

Writes a small labelled image dataset to AIS as WebDataset shards, reads it in Spark, decodes, filters,
converts to 16x16 grayscale JPEG, writes training-ready shards, and reads them back to check them.

Run it with `scripts/quickstart --python`, or with the connector jar on Spark's classpath:
    SPARK_AISTORE_JAR=runtime/spark4_2.13/target/spark-aistore-spark4_2.13-<version>.jar AIS_ENDPOINT=http://... python quickstart.py
or on a cluster, which then gives the master:
    AIS_ENDPOINT=http://... spark-submit --master spark://... --jars spark-aistore-spark4_2.13-<version>.jar quickstart.py
"""
import io
import os
import random
import sys

from PIL import Image, ImageDraw
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import BinaryType

BUCKET = "spark-aistore-quickstart-py"
LABELS = ["circle", "square", "stripe"]
IMAGES = 60


def labelled_images():
    """IMAGES small PNGs with a shape per class; every tenth is corrupt, as real datasets have some."""
    rnd = random.Random(42)
    rows = []
    for i in range(IMAGES):
        cls = i % len(LABELS)
        if i % 10 == 9:
            png = b"not a png"
        else:
            image = Image.new("RGB", (32, 32), tuple(rnd.randrange(256) for _ in range(3)))
            draw = ImageDraw.Draw(image)
            color = tuple(rnd.randrange(256) for _ in range(3))
            if cls == 0:
                draw.ellipse((8, 8, 24, 24), fill=color)
            elif cls == 1:
                draw.rectangle((8, 8, 24, 24), fill=color)
            else:
                draw.rectangle((0, 12, 32, 20), fill=color)
            out = io.BytesIO()
            image.save(out, format="PNG")
            png = out.getvalue()
        rows.append(("%s/%05d" % (LABELS[cls], i), bytearray(png), cls))
    return rows


@F.udf(returnType=BinaryType())
def grayscale_jpeg(encoded):
    """The image as a 16x16 grayscale JPEG, or None when it does not decode."""
    try:
        image = Image.open(io.BytesIO(encoded))
        image.load()
    except Exception:  # an undecodable image is dropped by the filter below
        return None
    out = io.BytesIO()
    image.convert("L").resize((16, 16)).save(out, format="JPEG")
    return bytearray(out.getvalue())


def recreate_bucket(endpoint):
    """Starts from an empty bucket, through AIS's REST API (the connector's own client is Java)."""
    import json
    import urllib.request

    url = "%s/v1/buckets/%s?provider=ais" % (endpoint, BUCKET)
    for action, method in (("destroy-bck", "DELETE"), ("create-bck", "POST")):
        request = urllib.request.Request(url, data=json.dumps({"action": action}).encode(), method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request).read()
        except urllib.error.HTTPError as e:
            if not (action == "destroy-bck" and e.code == 404):
                raise


def main():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Spark's Python workers need Pillow too
    endpoint = os.environ.get("AIS_ENDPOINT", "http://localhost:8080").rstrip("/")
    recreate_bucket(endpoint)
    # No master here: spark-submit gives it, and a bare `python` run gets PySpark's local[*].
    builder = SparkSession.builder.appName("spark-aistore quickstart (PySpark)")
    if "SPARK_AISTORE_JAR" in os.environ:  # spark-submit gives it with --jars instead
        builder = builder.config("spark.jars", os.environ["SPARK_AISTORE_JAR"])
    spark = (builder.config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.datasource.ais.endpoint", endpoint)
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    try:
        raw_path, train_path = "ais://%s/raw/" % BUCKET, "ais://%s/train/" % BUCKET
        (spark.createDataFrame(labelled_images(), "__key__ string, png binary, cls int").repartition(2)
         .write.format("ais").option("layout", "webdataset").option("maxSamplesPerShard", "20").save(raw_path))
        print("1. wrote %d labelled images as WebDataset shards to %s at %s" % (IMAGES, raw_path, endpoint))

        raw = spark.read.format("ais").option("layout", "webdataset").load(raw_path)
        print("2. read %d samples with columns %s" % (raw.count(), raw.columns))

        train = (raw.withColumn("jpg", grayscale_jpeg("png")).where(F.col("jpg").isNotNull())
                 .select("__key__", "jpg", "cls"))
        (train.write.format("ais").option("layout", "webdataset").option("maxSamplesPerShard", "16")
         .mode("overwrite").save(train_path))
        print("3. decoded, filtered, converted to 16x16 grayscale JPEG, and wrote " + train_path)

        check = spark.read.format("ais").option("layout", "webdataset").load(train_path)
        rows = check.collect()
        for row in rows:
            if Image.open(io.BytesIO(row["jpg"])).size != (16, 16):
                raise SystemExit("sample %s is not a 16x16 JPEG" % row["__key__"])
        shards = check.select("__url__").distinct().count()
        print("4. read back %d training samples in %d shards; every one a 16x16 JPEG with its class"
              % (len(rows), shards))
        check.withColumn("cls", F.col("cls").cast("string")).groupBy("cls").count().orderBy("cls").show()
        print("Quickstart finished: AIS -> Spark -> AIS round trip verified.")
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
