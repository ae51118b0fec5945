package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * Runs {@link TlsJob} in a child JVM whose AIS and TLS configuration is only the given environment.
 */
final class TlsChild {
  private static final List<String> AIS_VARIABLES =
      List.of(
          "AIS_ENDPOINT",
          "AIS_CLIENT_CA",
          "AIS_SKIP_VERIFY_CRT",
          "AIS_CRT",
          "AIS_CRT_KEY",
          "AIS_AUTHN_TOKEN");

  private TlsChild() {}

  static String run(Map<String, String> env, String path, int samples) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add(SparkJvmFlags.argument());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            TlsJob.class.getName(),
            path,
            String.valueOf(samples)));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    AIS_VARIABLES.forEach(builder.environment()::remove); // the suite's own cluster is not this one
    builder.environment().putAll(env);
    Process child = builder.start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish");
    assertEquals(0, child.exitValue(), output);
    return output;
  }

  /** The bytes of the {@code txt} members TlsJob writes for {@code samples} samples. */
  static long bytesOf(int samples) {
    return LongStream.range(0, samples).map(i -> ("sample " + i).length()).sum();
  }
}
