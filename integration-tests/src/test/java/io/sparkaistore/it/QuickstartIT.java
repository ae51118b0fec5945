package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quickstart, Java and PySpark, each in a JVM (or Python) of its own. */
class QuickstartIT {
  private static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();
  private static final String DONE =
      "Quickstart finished: AIS -> Spark -> AIS round trip verified.";

  @Test
  void javaQuickstartRunsEndToEnd() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    command.add(SparkJvmFlags.argument());
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), "io.sparkaistore.examples.Quickstart"));
    String output = run(command);
    assertTrue(output.contains("4. read back 54 training samples in 4 shards"), output);
    assertTrue(output.contains(DONE), output);
    destroy("spark-aistore-quickstart");
  }

  /**
   * {@code scripts/quickstart --python} as the README runs it, without an {@code AIS_ENDPOINT}: it
   * starts an AIS of its own (state in {@code target/}, proxy on {@code ais.quickstart.port}), runs
   * the PySpark job on the jar this build made, and stops that AIS on its way out, so the README's
   * next command can start one.
   */
  @Test
  void scriptRunsThePysparkQuickstartAndStopsTheAisItStarted() throws Exception {
    Path state = Path.of("target", "ais-local-quickstart").toAbsolutePath();
    ProcessBuilder builder =
        new ProcessBuilder(SCRIPTS.resolve("quickstart").toString(), "--python", "--no-build");
    builder.environment().remove("AIS_ENDPOINT");
    builder.environment().put("AIS_LOCAL_DIR", state.toString());
    builder
        .environment()
        .put("AIS_LOCAL_PORT", String.valueOf(Integer.getInteger("ais.quickstart.port", 30580)));
    String output = run(builder);
    assertTrue(output.contains("ais-local: ready"), output);
    assertTrue(output.contains("4. read back 54 training samples in 4 shards"), output);
    assertTrue(output.contains(DONE), output);
    List<String> left =
        ProcessHandle.allProcesses()
            .map(p -> p.info().commandLine().orElse(""))
            .filter(line -> line.contains("aisnode") && line.contains(state.toString()))
            .collect(Collectors.toList());
    assertEquals(List.of(), left, "the AIS nodes the quickstart started are still running");
  }

  private static String run(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("AIS_ENDPOINT", AisTestCluster.endpoint().toString());
    return run(builder);
  }

  private static String run(ProcessBuilder builder) throws Exception {
    builder.redirectErrorStream(true);
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the quickstart did not finish");
    assertEquals(0, p.exitValue(), output);
    return output;
  }

  private static void destroy(String name) throws Exception {
    AisClient client = AisTestBuckets.client();
    AisTestBuckets.destroy(client, AisBucket.ais(name));
  }
}
