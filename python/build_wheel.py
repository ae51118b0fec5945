"""Builds the spark_aistore wheel (py3-none-any) with the connector's runtime jars inside.

    python build_wheel.py --version 0.1.0-SNAPSHOT --out DIR --jar 4_2.13=path/to/shaded.jar [--jar ...]

Only the standard library: the build must not need a network or a build backend. A wheel is a zip
with the package, and a dist-info directory whose RECORD lists each file's sha256 and size.
"""

import argparse
import base64
import hashlib
import pathlib
import re
import zipfile

PACKAGE = pathlib.Path(__file__).resolve().parent / "spark_aistore"
# A fixed time for every entry: the same inputs give the same wheel, byte for byte.
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def pep440(maven_version):
    """0.1.0-SNAPSHOT becomes 0.1.0.dev0; a release version stays as it is."""
    if maven_version.endswith("-SNAPSHOT"):
        return maven_version[: -len("-SNAPSHOT")] + ".dev0"
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", maven_version):
        raise SystemExit(f"cannot map Maven version {maven_version!r} to a Python version")
    return maven_version


def metadata(version):
    return (
        "Metadata-Version: 2.1\n"
        "Name: spark-aistore\n"
        f"Version: {version}\n"
        "Summary: Apache Spark connector for AIStore: the connector jars for PySpark\n"
        "License: Apache-2.0\n"
        "Requires-Python: >=3.8\n"
        # pyspark is not required: Databricks, EMR and spark-submit provide their own.
        "Classifier: Programming Language :: Python :: 3\n"
    )


WHEEL = "Wheel-Version: 1.0\nGenerator: spark-aistore build_wheel.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build(maven_version, jars, out):
    version = pep440(maven_version)
    dist_info = f"spark_aistore-{version}.dist-info"
    files = {}
    for source in sorted(PACKAGE.glob("*.py")):
        files[f"spark_aistore/{source.name}"] = source.read_bytes()
    for line_scala, jar in jars:
        files[f"spark_aistore/jars/spark-aistore-spark{line_scala}-{maven_version}.jar"] = pathlib.Path(jar).read_bytes()
    files[f"{dist_info}/METADATA"] = metadata(version).encode()
    files[f"{dist_info}/WHEEL"] = WHEEL.encode()
    record = "".join(f"{name},{digest(data)},{len(data)}\n" for name, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()

    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"spark_aistore-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return wheel


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--version", required=True, help="the Maven project version")
    args.add_argument("--out", required=True, type=pathlib.Path)
    args.add_argument("--jar", action="append", required=True, metavar="LINE_SCALA=PATH",
                      help="a runtime jar and its Spark line and Scala version, e.g. 4_2.13=x.jar")
    parsed = args.parse_args()
    jars = []
    for spec in parsed.jar:
        line_scala, _, path = spec.partition("=")
        if not re.fullmatch(r"[0-9.]+_[0-9.]+", line_scala) or not path:
            raise SystemExit(f"--jar {spec!r}: expected LINE_SCALA=PATH, e.g. 4_2.13=x.jar")
        jars.append((line_scala, path))
    print(build(parsed.version, jars, parsed.out))


if __name__ == "__main__":
    main()
