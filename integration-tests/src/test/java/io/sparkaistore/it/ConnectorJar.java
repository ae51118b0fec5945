package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The runtime jars this build made (runtime/): what users put on Spark's classpath. */
final class ConnectorJar {
  /** The runtime modules, one per Spark line and Scala version. */
  static final List<String> LINES = List.of("spark3.5_2.12", "spark3.5_2.13", "spark4_2.13");

  private ConnectorJar() {}

  /** The jar of the primary line, Spark 4, which the integration tests run. */
  static Path path() throws IOException {
    return path("spark4_2.13");
  }

  /** The jar of one line, e.g. {@code spark3.5_2.12}. */
  static Path path(String line) throws IOException {
    Path target = Path.of("..", "runtime", line, "target");
    Pattern name =
        Pattern.compile("spark-aistore-" + Pattern.quote(line) + "-[^-]+(-SNAPSHOT)?\\.jar");
    try (Stream<Path> files = Files.list(target)) {
      List<Path> jars =
          files
              .filter(f -> name.matcher(f.getFileName().toString()).matches())
              .collect(Collectors.toList());
      assertEquals(1, jars.size(), "the runtime jar in " + target + ": " + jars);
      return jars.get(0).toAbsolutePath().normalize();
    }
  }
}
