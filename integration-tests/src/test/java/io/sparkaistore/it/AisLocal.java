package io.sparkaistore.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives {@code scripts/ais-local} for tests that kill and restart nodes. The script acts on the
 * cluster it started from {@code AIS_LOCAL_DIR} (inherited from the test's environment), so such tests
 * first check that this is the cluster they test against: they never touch a cluster that others
 * share.
 */
final class AisLocal {
  private static final Path SCRIPT = Path.of("..", "scripts", "ais-local").toAbsolutePath().normalize();

  private AisLocal() {}

  /** Whether the script's cluster is the one at {@code AIS_ENDPOINT}: its proxy runs at that address. */
  static boolean ownsTestCluster() {
    String endpoint = AisTestCluster.endpoint().toString().replaceAll("/+$", "");
    try {
      for (String line : run("status").split("\n")) {
        if (line.startsWith("proxy ") && line.contains(" running " + endpoint + " ")) {
          return true;
        }
      }
    } catch (IOException e) {
      return false; // no cluster of the script's: `status` fails
    }
    return false;
  }

  /** Why a test that kills nodes did not run, and how to run it. */
  static String notOwned() {
    return "This test kills and restarts targets, so it runs only against a cluster that " + SCRIPT + " started "
        + "from AIS_LOCAL_DIR (" + System.getenv().getOrDefault("AIS_LOCAL_DIR", "unset: the repository's .ais-local")
        + "); AIS_ENDPOINT (" + AisTestCluster.endpoint() + ") is another. scripts/test and .ci/run start such a "
        + "cluster; or export AIS_LOCAL_DIR with the directory of the one at AIS_ENDPOINT.";
  }

  /** SIGKILLs target {@code n} (from 1). */
  static void killTarget(int n) throws IOException {
    run("kill-target", String.valueOf(n));
  }

  /** Starts target {@code n} again and waits until it is ready. */
  static void restartTarget(int n) throws IOException {
    run("restart-target", String.valueOf(n));
  }

  private static String run(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("ais-local", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(command + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      System.out.print(out);
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + command, e);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
