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
        Map.of("endpoint", "http://h:1", "path", "ais://b/x"), AisDataSource.userOptions(props));
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
