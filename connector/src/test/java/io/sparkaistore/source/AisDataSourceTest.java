package io.sparkaistore.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class AisDataSourceTest {
  @Test
  void catalogTablePropertiesAreReducedToOptions() {
    Map<String, String> props =
        Map.of(
            "location",
            "ais://b/x",
            "provider",
            "ais",
            "owner",
            "me",
            "option.endpoint",
            "http://h:1",
            "path",
            "ais://b/x");
    assertEquals(
        Map.of("endpoint", "http://h:1", "path", "ais://b/x/"), AisDataSource.userOptions(props));
  }

  /**
   * Spark stores a table's path as its location, without the trailing slash; read as a prefix it
   * would take in {@code x-2/} too. A DataFrame's path is the user's prefix, as given.
   */
  @Test
  void aCatalogTablesPathIsADirectory() {
    assertEquals("ais://b/x/", AisDataSource.asDirectory("ais://b/x"));
    assertEquals("ais://b/x/", AisDataSource.asDirectory("ais://b/x/"));
    assertEquals("ais://b/", AisDataSource.asDirectory("ais://b"));
    assertEquals("ais://b/shard-{0..3}.tar", AisDataSource.asDirectory("ais://b/shard-{0..3}.tar"));
    assertEquals("ais://b/s-*", AisDataSource.asDirectory("ais://b/s-*"));
    assertEquals(
        Map.of("path", "ais://b/x"), AisDataSource.userOptions(Map.of("path", "ais://b/x")));
  }

  /** A DataFrame save must find the table unwritable, to take the V1 path of its save modes. */
  @Test
  void onlyACatalogTableTakesWrites() {
    AisDataSource source = new AisDataSource();
    StructType schema = new StructType().add("name", "string").add("content", "binary");
    Table saved = source.getTable(schema, new Transform[0], Map.of("path", "ais://b/x"));
    Table cataloged =
        source.getTable(
            schema, new Transform[0], Map.of("provider", "ais", "option.path", "ais://b/x"));
    assertFalse(saved.capabilities().contains(TableCapability.BATCH_WRITE));
    assertTrue(
        cataloged
            .capabilities()
            .containsAll(
                Set.of(
                    TableCapability.BATCH_WRITE,
                    TableCapability.TRUNCATE,
                    TableCapability.ACCEPT_ANY_SCHEMA)));
  }
}
