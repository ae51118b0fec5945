package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's quickstart, Java and PySpark, each in a JVM (or Python) of its own, against the test cluster. */
class QuickstartIT {
  private static final String DONE = "Quickstart finished: AIS -> Spark -> AIS round trip verified.";

  @Test
  void javaQuickstartRunsEndToEnd() throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g"));
    command.add(SparkJvmFlags.argument());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.sparkaistore.examples.Quickstart"));
    String output = run(command);
    assertTrue(output.contains("4. read back 54 training samples in 4 shards"), output);
    assertTrue(output.contains(DONE), output);
    destroy("spark-aistore-quickstart");
  }

  @Test
  void pysparkQuickstartRunsEndToEnd() throws Exception {
    List<String> command = List.of(PythonEnv.python().toString(), Path.of("..", "examples", "python", "quickstart.py")
        .toAbsolutePath().toString());
    String output = run(command);
    assertTrue(output.contains("4. read back 54 training samples in 4 shards"), output);
    assertTrue(output.contains(DONE), output);
    destroy("spark-aistore-quickstart-py");
  }

  private static String run(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("AIS_ENDPOINT", AisTestCluster.endpoint().toString());
    builder.environment().put("SPARK_AISTORE_JAR", connectorJar());
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the quickstart did not finish");
    assertEquals(0, p.exitValue(), output);
    return output;
  }

  /** The shaded connector jar this build made: what users put on Spark's classpath. */
  private static String connectorJar() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("..", "connector", "target"))) {
      List<Path> jars = files.filter(f -> f.getFileName().toString().matches("spark-aistore-[^-]+(-SNAPSHOT)?\\.jar"))
          .collect(Collectors.toList());
      assertEquals(1, jars.size(), "the connector jar in connector/target: " + jars);
      return jars.get(0).toAbsolutePath().toString();
    }
  }

  private static void destroy(String name) throws Exception {
    AisClient client = AisTestBuckets.client();
    AisTestBuckets.destroy(client, AisBucket.ais(name));
  }
}
