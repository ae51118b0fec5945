package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wheel this build made ({@code python/}), installed as a user would: into a fresh virtual
 * environment with nothing but PySpark (the version scripts/requirements.txt pins), then a PySpark
 * job that gets the connector only through {@code spark_aistore.configure} writes and reads AIS.
 */
class PythonPackageIT {
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "wheel");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  @Test
  void wheelInstallsAndRunsAJob() throws Exception {
    Path venv = Path.of("target", "wheel-venv").toAbsolutePath();
    run(List.of("python3", "-m", "venv", "--clear", venv.toString()));
    Path python = venv.resolve("bin").resolve("python");
    run(
        List.of(
            python.toString(),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-compile",
            "--disable-pip-version-check",
            wheel().toString(),
            "pyspark==" + pinnedPyspark()));

    String out =
        run(
            List.of(
                python.toString(),
                PythonEnv.script("wheel_job.py"),
                AisTestCluster.endpoint().toString(),
                "ais://" + bucket.name() + "/wheel/"));
    JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());

    assertEquals(pinnedPyspark(), seen.path("pyspark").asText());
    String version = "-\\d[^/]*\\.jar";
    assertTrue(seen.path("jar").asText().matches("spark-aistore-spark4_2\\.13" + version), out);
    assertTrue(seen.path("jar_exists").asBoolean(), out);
    Map<String, String> jarOf =
        Map.of(
            "3.5.9/2.12", "spark3\\.5_2\\.12",
            "3.5.1/2.13", "spark3\\.5_2\\.13",
            "4.0.5/2.13", "spark4_2\\.13",
            "4.3.0/2.13", "spark4_2\\.13");
    jarOf.forEach(
        (spark, jar) ->
            assertTrue(
                seen.path("lines").path(spark).asText().matches("spark-aistore-" + jar + version),
                spark + ": " + out));
    assertEquals(
        "spark-aistore has no jar for Spark 3.4.1 with Scala 2.12; this package carries jars for: "
            + "Spark 3.5 (Scala 2.12), Spark 3.5 (Scala 2.13), Spark 4 (Scala 2.13). Install the "
            + "spark-aistore release that supports your Spark, or pass spark_version/scala_version "
            + "for the cluster's Spark.",
        seen.path("unsupported").asText());
    assertTrue(seen.path("jars").asText().startsWith("/nonexistent/other.jar,/"), out);
    List<String> read = new ArrayList<>();
    seen.path("read").forEach(r -> read.add(r.get(0).asText() + "=" + r.get(1).asText()));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      byte[] content = new byte[i + 1];
      Arrays.fill(content, (byte) i);
      expected.add(String.format("wheel/obj-%02d=%s", i, HexFormat.of().formatHex(content)));
    }
    assertEquals(expected, read);
  }

  /** The one wheel in python/target. */
  private static Path wheel() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("..", "python", "target"))) {
      List<Path> wheels =
          files
              .filter(f -> f.getFileName().toString().endsWith("-py3-none-any.whl"))
              .collect(Collectors.toList());
      assertEquals(1, wheels.size(), "the wheel in python/target: " + wheels);
      return wheels.get(0).toAbsolutePath();
    }
  }

  private static String pinnedPyspark() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^pyspark==(\\S+)$")
            .matcher(Files.readString(Path.of("..", "scripts", "requirements.txt")));
    assertTrue(m.find(), "scripts/requirements.txt pins pyspark");
    return m.group(1);
  }

  private static String run(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), command + " did not finish");
    assertEquals(0, p.exitValue(), command + ": " + output);
    return output;
  }
}
