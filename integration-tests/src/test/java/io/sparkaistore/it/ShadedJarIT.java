package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sparkaistore.source.AisDataSource;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each runtime jar holds only our packages and what it relocated under {@code
 * io/sparkaistore/shaded/}: nothing it bundles can clash with, or lose to, another copy on Spark's
 * classpath. Its classes run on its line's oldest Java, and it registers the {@code ais} source.
 */
class ShadedJarIT {
  private static final String SERVICES =
      "META-INF/services/org.apache.spark.sql.sources.DataSourceRegister";

  @ParameterizedTest
  @FieldSource("io.sparkaistore.it.ConnectorJar#LINES")
  void everyBundledClassIsOursOrRelocated(String line) throws Exception {
    try (JarFile jar = new JarFile(ConnectorJar.path(line).toFile())) {
      List<String> foreign =
          Collections.list(jar.entries()).stream()
              .map(e -> e.getName())
              .filter(name -> !name.startsWith("META-INF/") && !name.endsWith("/"))
              .filter(name -> !name.startsWith("io/sparkaistore/"))
              .collect(Collectors.toList());
      assertEquals(
          List.of(),
          foreign,
          "entries outside io/sparkaistore/ (relocate them in runtime/pom.xml)");
      assertNotNull(jar.getEntry("io/sparkaistore/shaded/jackson/databind/ObjectMapper.class"));
      assertNotNull(
          jar.getEntry(
              "io/sparkaistore/shaded/commons/compress/archivers/tar/TarArchiveEntry.class"));
    }
  }

  /**
   * The multi-release variants of the bundled libraries are left out; a jar marked Multi-Release
   * would need them.
   */
  @ParameterizedTest
  @FieldSource("io.sparkaistore.it.ConnectorJar#LINES")
  void theJarIsNotMultiReleaseAndHoldsNoVersionedClasses(String line) throws Exception {
    try (JarFile jar = new JarFile(ConnectorJar.path(line).toFile())) {
      assertNotNull(jar.getManifest());
      assertEquals(null, jar.getManifest().getMainAttributes().getValue("Multi-Release"));
      assertFalse(jar.isMultiRelease());
      List<String> versioned =
          Collections.list(jar.entries()).stream()
              .map(e -> e.getName())
              .filter(name -> name.startsWith("META-INF/versions/"))
              .collect(Collectors.toList());
      assertEquals(List.of(), versioned);
    }
  }

  /**
   * Our classes are compiled for the line's oldest Java (11 for Spark 3.5, 17 for Spark 4: class
   * file versions 55 and 61), and nothing bundled needs a newer one.
   */
  @ParameterizedTest
  @FieldSource("io.sparkaistore.it.ConnectorJar#LINES")
  void classFilesRunOnTheLinesOldestJava(String line) throws Exception {
    int expected = line.startsWith("spark3.5") ? 55 : 61;
    Map<Integer, Long> ours = new TreeMap<>();
    Map<String, Integer> tooNew = new TreeMap<>();
    try (JarFile jar = new JarFile(ConnectorJar.path(line).toFile())) {
      for (JarEntry entry : Collections.list(jar.entries())) {
        if (!entry.getName().endsWith(".class")) {
          continue;
        }
        int major = majorVersion(jar, entry);
        if (!entry.getName().startsWith("io/sparkaistore/shaded/")) {
          ours.merge(major, 1L, Long::sum);
        }
        if (major > expected) {
          tooNew.put(entry.getName(), major);
        }
      }
    }
    assertEquals(List.of(expected), List.copyOf(ours.keySet()), "class file versions: " + ours);
    assertEquals(Map.of(), tooNew);
  }

  @ParameterizedTest
  @FieldSource("io.sparkaistore.it.ConnectorJar#LINES")
  void theJarRegistersTheAisSource(String line) throws Exception {
    try (JarFile jar = new JarFile(ConnectorJar.path(line).toFile())) {
      JarEntry services = jar.getJarEntry(SERVICES);
      assertNotNull(services, SERVICES);
      try (InputStream in = jar.getInputStream(services)) {
        List<String> registered =
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toList());
        assertEquals(List.of(AisDataSource.class.getName()), registered);
      }
      assertNotNull(jar.getEntry("io/sparkaistore/source/AisDataSource.class"));
    }
  }

  /**
   * The integration tests exercise the connector as users get it: its classes come from the Spark 4
   * runtime jar.
   */
  @Test
  void theTestsRunTheShadedJar() throws Exception {
    Path source =
        Path.of(AisDataSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertEquals(ConnectorJar.path(), source);
    try (JarFile jar = new JarFile(source.toFile())) {
      assertNotNull(
          jar.getEntry("io/sparkaistore/shaded/jackson/databind/ObjectMapper.class"),
          source.toString());
    }
  }

  private static int majorVersion(JarFile jar, JarEntry entry) throws IOException {
    try (DataInputStream in = new DataInputStream(jar.getInputStream(entry))) {
      assertEquals(0xCAFEBABE, in.readInt(), entry.getName());
      in.readUnsignedShort(); // minor
      return in.readUnsignedShort();
    }
  }
}
