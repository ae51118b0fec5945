package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.source.AisDataSource;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar holds only our packages and what it relocated under {@code
 * io/sparkaistore/shaded/}: nothing it bundles can clash with, or lose to, another copy on Spark's
 * classpath.
 */
class ShadedJarIT {
  @Test
  void everyBundledClassIsOursOrRelocated() throws Exception {
    try (JarFile jar = new JarFile(ConnectorJar.path().toFile())) {
      List<String> foreign =
          Collections.list(jar.entries()).stream()
              .map(e -> e.getName())
              .filter(name -> !name.startsWith("META-INF/") && !name.endsWith("/"))
              .filter(name -> !name.startsWith("io/sparkaistore/"))
              .collect(Collectors.toList());
      assertEquals(
          List.of(),
          foreign,
          "entries outside io/sparkaistore/ (relocate them in connector/pom.xml)");
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
  @Test
  void theJarIsNotMultiReleaseAndHoldsNoVersionedClasses() throws Exception {
    try (JarFile jar = new JarFile(ConnectorJar.path().toFile())) {
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
   * The integration tests exercise the connector as users get it: its classes come from a shaded
   * jar.
   */
  @Test
  void theTestsRunTheShadedJar() throws Exception {
    Path source =
        Path.of(AisDataSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(source.getFileName().toString().endsWith(".jar"), source.toString());
    try (JarFile jar = new JarFile(source.toFile())) {
      assertNotNull(
          jar.getEntry("io/sparkaistore/shaded/jackson/databind/ObjectMapper.class"),
          source.toString());
    }
  }
}
