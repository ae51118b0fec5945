package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connector on a real multi-JVM Spark: a standalone master and two workers started from the
 * PySpark distribution in .venv (its {@code bin/spark-class}), a PySpark driver in a process of its
 * own, executors in the workers' JVMs. The job writes WebDataset shards and reads them back while
 * an executor is SIGKILLed halfway through a task of each stage; every sample must come back
 * exactly once.
 */
class StandaloneClusterIT {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final List<Process> cluster = new ArrayList<>();
  private static AisClient client;
  private static AisBucket bucket;
  private static Path work;
  private static String master;

  @BeforeAll
  static void startCluster() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "standalone");
    work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "standalone-");
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    Path masterLog = work.resolve("master.log");
    cluster.add(
        start(
            masterLog,
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--webui-port",
            String.valueOf(freePort())));
    awaitLine(masterLog, "I have been elected leader");
    for (int i = 1; i <= 2; i++) {
      Path log = work.resolve("worker-" + i + ".log");
      cluster.add(
          start(
              log,
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              "1",
              "--memory",
              "768m",
              "--webui-port",
              String.valueOf(freePort()),
              "--work-dir",
              work.resolve("worker-" + i).toString(),
              master));
      awaitLine(log, "Successfully registered with master");
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (Process p : cluster) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    AisTestBuckets.destroy(client, bucket);
  }

  @Test
  void writeAndReadSurviveAKilledExecutor() throws Exception {
    Path markers = Files.createDirectory(work.resolve("markers"));
    String out =
        run(
            List.of(
                PythonEnv.python().toString(),
                PythonEnv.script("cluster_job.py"),
                master,
                ConnectorJar.path().toString(),
                AisTestCluster.endpoint().toString(),
                "ais://" + bucket.name() + "/wds/",
                markers.toString()));
    JsonNode seen = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());

    assertTrue(
        Files.exists(markers.resolve("killed-write")),
        "no executor was killed while writing: " + out);
    assertTrue(
        Files.exists(markers.resolve("killed-read")),
        "no executor was killed while reading: " + out);
    assertEquals(1200, seen.path("rows").asInt(), out);
    assertEquals(1200, seen.path("distinct").asInt(), out);
    assertTrue(seen.path("expected_keys").asBoolean(), out);
    assertEquals(0, seen.path("wrong").size(), out);
    List<String> names = new ArrayList<>();
    for (ObjectEntry e : client.listObjects(bucket, ListOptions.prefix("wds/"))) {
      names.add(e.name());
    }
    assertEquals(
        25,
        names.size(),
        "12 shards of 100 samples, their DALI indexes and the manifest, nothing staged left: "
            + names);
    assertEquals(12, names.stream().filter(n -> n.endsWith(".tar.idx")).count(), names.toString());
    assertTrue(names.contains("wds/_manifest.json"), names.toString());
  }

  private static Process start(Path log, String mainClass, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(sparkHome().resolve("bin").resolve("spark-class").toString(), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", sparkHome().toString());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("SPARK_DAEMON_MEMORY", "256m");
    builder.environment().put("PYSPARK_PYTHON", PythonEnv.python().toString());
    return builder.start();
  }

  /** The Spark distribution inside the PySpark package that scripts/python-env installed. */
  private static Path sparkHome() throws IOException {
    return Path.of(
        PythonEnv.run(List.of("-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"))
            .strip());
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!Files.exists(log) || !Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "'"
                + line
                + "' not in "
                + log
                + " after "
                + START_TIMEOUT
                + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
      }
      Thread.sleep(200);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String run(List<String> command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("driver.log").toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("PYSPARK_PYTHON", PythonEnv.python().toString());
    Process p = builder.start();
    boolean done = p.waitFor(10, TimeUnit.MINUTES);
    String output = Files.readString(work.resolve("driver.log"));
    assertTrue(done, "the job did not finish:\n" + output);
    assertEquals(0, p.exitValue(), output);
    return output;
  }
}
