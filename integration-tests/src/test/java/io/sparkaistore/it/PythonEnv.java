package io.sparkaistore.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs Python from the project's virtual environment ({@code scripts/python-env} makes it). */
final class PythonEnv {
  private PythonEnv() {}

  static Path python() {
    String configured = System.getenv("AIS_TEST_PYTHON");
    Path python =
        configured != null
            ? Path.of(configured)
            : Path.of("..", ".venv", "bin", "python").toAbsolutePath();
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException(
          "No Python environment at "
              + python
              + ": run scripts/python-env (scripts/test "
              + "and .ci/run do) to create it with the webdataset library and PySpark");
    }
    return python;
  }

  /**
   * Runs {@code args} with the environment's Python; returns stdout, failing with stderr on a
   * non-zero exit.
   */
  static String run(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(python().toString());
    command.addAll(args);
    return Command.text(command, Map.of(), Duration.ofMinutes(10));
  }

  static String script(String name) {
    return Path.of("src", "test", "resources", "python", name).toAbsolutePath().toString();
  }
}
