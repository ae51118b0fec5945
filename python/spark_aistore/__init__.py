"""spark-aistore for PySpark: the connector jar that fits the installed Spark, and a builder hook.

    import spark_aistore
    from pyspark.sql import SparkSession

    spark = spark_aistore.configure(SparkSession.builder).getOrCreate()
    df = spark.read.format("ais").load("ais://bucket/prefix/")

Under `spark-submit`, where the JVM starts before Python code runs, pass the jar instead:
`spark-submit --jars "$(python -c 'import spark_aistore; print(spark_aistore.jar_path())')" job.py`.
"""

import os
import pathlib
import re

__all__ = ["jar_path", "configure"]

_JARS = pathlib.Path(__file__).resolve().parent / "jars"
_JAR_NAME = re.compile(r"spark-aistore-spark(?P<line>[0-9.]+)_(?P<scala>[0-9.]+)-.+\.jar")
_CORE_JAR = re.compile(r"spark-core_(?P<scala>[0-9.]+)-(?P<version>[0-9].*)\.jar")


def jar_path(spark_version=None, scala_version=None):
    """Path of the connector jar built for a Spark line and Scala version.

    Both default to those of the Spark that PySpark starts: SPARK_HOME's when it is set, else the one
    the pyspark package carries, read from its spark-core_<scala>-<version>.jar. Raises RuntimeError
    naming what is installed and what this package has when no jar fits.
    """
    if not (spark_version and scala_version):
        installed_version, installed_scala = _installed_spark()
        spark_version = spark_version or installed_version
        scala_version = scala_version or installed_scala
    line = "4" if spark_version.split(".")[0] == "4" else ".".join(spark_version.split(".")[:2])
    jars = {}
    for jar in _JARS.glob("*.jar"):
        name = _JAR_NAME.fullmatch(jar.name)
        if name:
            jars[(name["line"], name["scala"])] = jar
    if (line, scala_version) not in jars:
        have = ", ".join(f"Spark {l} (Scala {s})" for l, s in sorted(jars)) or "none"
        raise RuntimeError(
            f"spark-aistore has no jar for Spark {spark_version} with Scala {scala_version}; "
            f"this package carries jars for: {have}. Install the spark-aistore release that supports "
            f"your Spark, or pass spark_version/scala_version for the cluster's Spark."
        )
    return str(jars[(line, scala_version)])


def configure(builder, spark_version=None, scala_version=None):
    """Adds the connector jar to a `SparkSession.builder` (keeping jars already set) and returns it."""
    jar = jar_path(spark_version, scala_version)
    # The builder has no public getter for what it holds; `_options` is where every PySpark line keeps it.
    existing = getattr(builder, "_options", {}).get("spark.jars")
    return builder.config("spark.jars", f"{existing},{jar}" if existing else jar)


def _installed_spark():
    """(Spark version, Scala version) of the Spark that PySpark starts, from its spark-core jar."""
    jars = _spark_home() / "jars"
    for core in sorted(jars.glob("spark-core_*.jar")):
        name = _CORE_JAR.fullmatch(core.name)
        if name:
            return name["version"], name["scala"]
    raise RuntimeError(
        f"cannot tell the Spark and Scala versions of the Spark in {jars.parent}: no "
        f"spark-core_<scala>-<version>.jar in {jars}; pass spark_version and scala_version (2.12 or 2.13)"
    )


def _spark_home():
    """Where the Spark that PySpark starts is: SPARK_HOME when set (PySpark then starts that one, whatever
    pyspark package is imported), else pip's pyspark package, or the distribution whose python/ it is."""
    if os.environ.get("SPARK_HOME"):
        return pathlib.Path(os.environ["SPARK_HOME"])
    try:
        import pyspark
    except ImportError as e:
        raise RuntimeError(
            "pyspark is not installed and SPARK_HOME is not set: install pyspark (pip install pyspark), "
            "set SPARK_HOME, or pass spark_version and scala_version for the Spark your cluster runs"
        ) from e
    package = pathlib.Path(pyspark.__file__).resolve().parent
    distribution = package.parent.parent
    return package if (package / "jars").is_dir() or not (distribution / "jars").is_dir() else distribution
