package io.sparkaistore.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program the tests need (scripts, Python, curl) and gives what it printed. */
final class Command {
  private Command() {}

  /**
   * The standard output of {@code command}, run with {@code env} added to the environment; fails
   * with its standard error and output when it exits non-zero or outlasts {@code timeout}.
   */
  static byte[] output(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException {
    Path stderr = Files.createTempFile("command", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(
            command
                + " failed: "
                + Files.readString(stderr, StandardCharsets.UTF_8)
                + new String(out, StandardCharsets.UTF_8));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + command, e);
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  /** {@link #output} as UTF-8 text. */
  static String text(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException {
    return new String(output(command, env, timeout), StandardCharsets.UTF_8);
  }
}
