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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The smoke suite on every supported Spark line other than the primary one (Spark 4.2.0, which runs
 * the whole suite): each line's real distribution ({@code scripts/spark-dist}: PyPI's pyspark, and
 * for Spark 3.5 with Scala 2.13 its {@code bin/} over Maven Central's jars) runs {@code
 * spark_line_job.py} with the runtime jar built for that line. The job writes and reads every
 * layout, goes through SQL, and reads through a 503 that a fault proxy in front of the gateway
 * answers; every result must match what was written.
 */
class SparkLinesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AisClient client;
  private static AisBucket bucket;
  private static AisBucket faultBucket;
  private static final Map<String, byte[]> faultObjects = new TreeMap<>();

  @BeforeAll
  static void createBuckets() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "spark-lines");
    faultBucket = AisTestBuckets.create(client, "spark-lines-fault");
    for (int i = 0; i < 6; i++) {
      byte[] content = ("object " + i + " ").repeat(i + 1).getBytes(StandardCharsets.UTF_8);
      faultObjects.put("f-" + i, content);
      client.put(faultBucket, "f-" + i, content);
    }
  }

  @AfterAll
  static void destroyBuckets() throws Exception {
    AisTestBuckets.destroy(client, bucket);
    AisTestBuckets.destroy(client, faultBucket);
  }

  @ParameterizedTest(name = "Spark {0}, Scala {1}")
  @CsvSource({"3.5.9, 2.12", "3.5.9, 2.13", "4.0.5, 2.13", "4.1.4, 2.13", "4.3.0, 2.13"})
  void everyLayoutSqlAndARetriedFault(String sparkVersion, String scala) throws Exception {
    String prefix = "spark-" + sparkVersion + "-" + scala + "/";
    try (FaultProxy proxy = new FaultProxy(AisTestCluster.endpoint())) {
      proxy.failNextRequest("^GET /v1/buckets/" + faultBucket.name() + "[?/ ]", 503);
      JsonNode seen = run(sparkVersion, scala, proxy, prefix);

      assertTrue(seen.path("spark").asText().startsWith(sparkVersion), seen.toString());
      assertTrue(seen.path("scala").asText().startsWith(scala + "."), seen.toString());
      // 40 objects, 40 samples and their 80 files.
      Map<String, Integer> counts = Map.of("objects", 40, "wds", 40, "members", 80);
      counts.forEach(
          (layout, count) -> {
            assertEquals(count, seen.at("/" + layout + "_written/count").asInt(), seen.toString());
            assertEquals(
                seen.path(layout + "_written"), seen.path(layout + "_read"), layout + ": " + seen);
          });
      assertEquals(40, seen.path("zipped_rows").asInt(), seen.toString());
      // the same rows through the indexes as streamed: 3 keys, the 40 keys, a sample of them
      JsonNode indexed = seen.path("indexed_reads");
      assertEquals(JSON.readTree("[true,3]"), indexed.path(0), seen.toString());
      assertEquals(JSON.readTree("[true,40]"), indexed.path(1), seen.toString());
      assertTrue(indexed.path(2).path(0).asBoolean(), seen.toString());
      assertTrue(
          indexed.at("/2/1").asInt() > 5 && indexed.at("/2/1").asInt() < 35, seen.toString());
      assertEquals(
          JSON.readTree("[[\"q-0\",1],[\"q-1\",2],[\"q-2\",3],[\"q-3\",4],[\"q-4\",5]]"),
          seen.path("sql_read"),
          seen.toString());
      assertEquals(expectedFaultRead(), seen.path("after_fault"), seen.toString());
      assertEquals(1, proxy.errorsInjected(), "the 503 was answered");
    }
  }

  /** The fault bucket's objects as the job reports them: [name, sha256 of the content], by name. */
  private static JsonNode expectedFaultRead() throws Exception {
    List<List<String>> expected = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : faultObjects.entrySet()) {
      expected.add(
          List.of(
              e.getKey(),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(e.getValue()))));
    }
    return JSON.valueToTree(expected);
  }

  private static JsonNode run(String sparkVersion, String scala, FaultProxy proxy, String prefix)
      throws Exception {
    List<String> dist = sparkDist(sparkVersion, scala);
    boolean spark35 = sparkVersion.startsWith("3.5.");
    Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), "spark-line-", ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                dist.get(0),
                PythonEnv.script("spark_line_job.py"),
                ConnectorJar.path(spark35 ? "spark3.5_" + scala : "spark4_2.13").toString(),
                proxy.uri().toString(),
                bucket.name(),
                prefix,
                faultBucket.name(),
                "spark.driver.memory=768m"));
    if (spark35) {
      // Spark 3.5's session catalog cannot load a V2 source's tables; the connector's extension
      // can.
      command.add("spark.sql.catalog.spark_catalog=io.sparkaistore.source.AisSessionCatalog");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", dist.get(1));
    builder.environment().put("PYSPARK_PYTHON", dist.get(0));
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = builder.start();
    boolean done = p.waitFor(10, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(done, "the job did not finish:\n" + output);
    assertEquals(0, p.exitValue(), output);
    return JSON.readTree(output.lines().reduce((a, b) -> b).orElseThrow());
  }

  /** The distribution's Python and SPARK_HOME, from {@code scripts/spark-dist}. */
  private static List<String> sparkDist(String sparkVersion, String scala) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of("..", "scripts", "spark-dist").toAbsolutePath().normalize().toString(),
                sparkVersion));
    if (sparkVersion.startsWith("3.") && scala.equals("2.13")) {
      command.add(scala); // PyPI's pyspark 3.5 is the Scala 2.12 build
    }
    return Command.text(command, Map.of(), Duration.ofMinutes(20)).lines().toList();
  }
}
