"""Which jar spark_aistore picks for the Spark that PySpark will start, run by `mvn test` (python/).

Each case lays out a Spark home with the spark-core jar that names its Spark and Scala versions, and
a package with the three runtime jars, then asks spark_aistore for the jar.
"""
import importlib
import os
import pathlib
import shutil
import sys
import tempfile
import unittest
from unittest import mock

SOURCE = pathlib.Path(__file__).resolve().parent.parent / "spark_aistore"
RUNTIME_JARS = ["spark3.5_2.12", "spark3.5_2.13", "spark4_2.13"]


class JarPathTest(unittest.TestCase):
    def setUp(self):
        self.dir = pathlib.Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        package = self.dir / "site" / "spark_aistore"
        shutil.copytree(SOURCE, package)
        (package / "jars").mkdir()
        for line_scala in RUNTIME_JARS:
            (package / "jars" / f"spark-aistore-{line_scala}-0.1.0.jar").touch()
        sys.path.insert(0, str(package.parent))
        self.addCleanup(sys.path.remove, str(package.parent))
        sys.modules.pop("spark_aistore", None)
        self.addCleanup(sys.modules.pop, "spark_aistore", None)
        self.spark_aistore = importlib.import_module("spark_aistore")

    def spark_home(self, name, core_jar):
        home = self.dir / name
        (home / "jars").mkdir(parents=True)
        (home / "jars" / core_jar).touch()
        return str(home)

    def test_spark_home_is_the_spark_pyspark_starts(self):
        # pip's pyspark may be another Spark than SPARK_HOME's; PySpark starts SPARK_HOME's.
        home = self.spark_home("spark-3.5", "spark-core_2.13-3.5.9.jar")
        with mock.patch.dict(os.environ, {"SPARK_HOME": home}):
            self.assertEqual("spark-aistore-spark3.5_2.13-0.1.0.jar", pathlib.Path(self.spark_aistore.jar_path()).name)

    def test_spark_4(self):
        home = self.spark_home("spark-4", "spark-core_2.13-4.0.1.jar")
        with mock.patch.dict(os.environ, {"SPARK_HOME": home}):
            self.assertEqual("spark-aistore-spark4_2.13-0.1.0.jar", pathlib.Path(self.spark_aistore.jar_path()).name)

    def test_a_distributions_pyspark_without_spark_home(self):
        # python/ of a Spark distribution on PYTHONPATH: pyspark/ has no jars, its distribution has.
        home = pathlib.Path(self.spark_home("dist", "spark-core_2.12-3.5.9.jar"))
        (home / "python" / "pyspark").mkdir(parents=True)
        (home / "python" / "pyspark" / "__init__.py").write_text('__version__ = "3.5.9"\n')
        sys.path.insert(0, str(home / "python"))
        self.addCleanup(sys.path.remove, str(home / "python"))
        saved = sys.modules.pop("pyspark", None)
        self.addCleanup(lambda: sys.modules.update({"pyspark": saved}) if saved else sys.modules.pop("pyspark", None))
        environment = {k: v for k, v in os.environ.items() if k != "SPARK_HOME"}
        with mock.patch.dict(os.environ, environment, clear=True):
            self.assertEqual("spark-aistore-spark3.5_2.12-0.1.0.jar", pathlib.Path(self.spark_aistore.jar_path()).name)

    def test_given_versions_win(self):
        home = self.spark_home("spark-4", "spark-core_2.13-4.0.1.jar")
        with mock.patch.dict(os.environ, {"SPARK_HOME": home}):
            self.assertEqual(
                "spark-aistore-spark3.5_2.12-0.1.0.jar",
                pathlib.Path(self.spark_aistore.jar_path("3.5.1", "2.12")).name)

    def test_unsupported_spark_names_what_is_there(self):
        home = self.spark_home("spark-3.4", "spark-core_2.12-3.4.3.jar")
        with mock.patch.dict(os.environ, {"SPARK_HOME": home}):
            with self.assertRaises(RuntimeError) as e:
                self.spark_aistore.jar_path()
        self.assertIn("no jar for Spark 3.4.3 with Scala 2.12", str(e.exception))
        self.assertIn("Spark 3.5 (Scala 2.12), Spark 3.5 (Scala 2.13), Spark 4 (Scala 2.13)", str(e.exception))

    def test_a_spark_home_without_spark_core_asks_for_the_versions(self):
        home = self.dir / "empty"
        (home / "jars").mkdir(parents=True)
        with mock.patch.dict(os.environ, {"SPARK_HOME": str(home)}):
            with self.assertRaises(RuntimeError) as e:
                self.spark_aistore.jar_path()
        self.assertIn(str(home / "jars"), str(e.exception))
        self.assertIn("pass spark_version and scala_version", str(e.exception))


if __name__ == "__main__":
    unittest.main()
