package io.sparkaistore.it;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cluster of the test's own, started by {@code scripts/ais-local} with its state under {@code
 * target/}, for tests that need one set up differently (TLS) or that kill and restart its nodes:
 * such tests never touch the cluster others share, and need only what the script needs. {@link
 * #close()} stops it.
 */
final class AisLocal implements AutoCloseable {
  private static final Path SCRIPT =
      Path.of("..", "scripts", "ais-local").toAbsolutePath().normalize();

  private final Path stateDir;
  private final URI endpoint;

  private AisLocal(Path stateDir, URI endpoint) {
    this.stateDir = stateDir;
    this.endpoint = endpoint;
  }

  /**
   * Starts a cluster of {@code targets} targets whose proxy listens on {@code port}, with the
   * script's extra start {@code flags} ({@code --https}, say), its state in {@code
   * target/ais-local-<name>}.
   */
  static AisLocal start(String name, int targets, int port, String... flags) throws IOException {
    Path state = Path.of("target", "ais-local-" + name).toAbsolutePath();
    run(state, "stop"); // what an aborted earlier run may have left
    List<String> start =
        new ArrayList<>(
            List.of("start", "--targets", String.valueOf(targets), "--port", String.valueOf(port)));
    start.addAll(List.of(flags));
    return new AisLocal(state, URI.create(run(state, start.toArray(new String[0])).strip()));
  }

  URI endpoint() {
    return endpoint;
  }

  /** SIGKILLs target {@code n} (from 1). */
  void killTarget(int n) throws IOException {
    run(stateDir, "kill-target", String.valueOf(n));
  }

  /**
   * Starts target {@code n} again, same command line and directories, and waits until it is ready.
   */
  void restartTarget(int n) throws IOException {
    run(stateDir, "restart-target", String.valueOf(n));
  }

  /** What the script prints for {@code command} run on this cluster ({@code ca-path}, say). */
  String script(String... command) throws IOException {
    return run(stateDir, command).strip();
  }

  @Override
  public void close() throws IOException {
    run(stateDir, "stop");
  }

  private static String run(Path state, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    return Command.text(command, Map.of("AIS_LOCAL_DIR", state.toString()), Duration.ofMinutes(5));
  }
}
