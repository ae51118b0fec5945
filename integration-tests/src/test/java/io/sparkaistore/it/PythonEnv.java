package io.sparkaistore.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
  static String run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(python().toString());
    command.addAll(args);
    Path stderr = Files.createTempFile("python", ".err");
    Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("Python " + args + " failed: " + Files.readString(stderr));
    }
    Files.delete(stderr);
    return out;
  }

  static String script(String name) {
    return Path.of("src", "test", "resources", "python", name).toAbsolutePath().toString();
  }
}
