package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.ReadConfig;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class LayoutSchemaTest {
  private static ReadConfig read(String layout, String... paths) {
    return ReadConfig.parse(
        OptionValues.of(
            Map.of(),
            Map.of(
                "paths",
                "[\"" + String.join("\",\"", paths) + "\"]",
                "layout",
                layout,
                "endpoint",
                "http://127.0.0.1:1")),
        Map.of(),
        new ReadConfig.SessionDefaults(2, false, false));
  }

  @Test
  void fixedLayoutsAcceptTheirOwnColumnsOnly() {
    assertDoesNotThrow(() -> LayoutSchema.check(read("objects", "ais://b/"), ObjectSchema.SCHEMA));
    assertDoesNotThrow(() -> LayoutSchema.check(read("members", "ais://b/"), ShardSchemas.MEMBERS));
    StructType other = new StructType().add("name", DataTypes.StringType);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LayoutSchema.check(read("objects", "ais://b/"), other));
    assertEquals(
        "The objects layout has fixed columns "
            + ObjectSchema.SCHEMA.simpleString()
            + "; a schema can be given only with layout webdataset (got struct<name:string>)",
        e.getMessage());
  }

  @Test
  void zippedColumnsFollowTheNumberOfSources() {
    StructType two = ShardSchemas.zipped(2);
    assertDoesNotThrow(() -> LayoutSchema.check(read("zipped", "ais://b/x/", "ais://b/y/"), two));
    assertThrows(
        IllegalArgumentException.class,
        () -> LayoutSchema.check(read("zipped", "ais://b/x/", "ais://b/y/", "ais://b/z/"), two));
  }

  @Test
  void webDatasetSchemasAreCheckedAsSuch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LayoutSchema.check(
                    read("webdataset", "ais://b/"),
                    new StructType().add("txt", DataTypes.StringType)));
    assertEquals(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    ShardSchemas.validateWebDataset(
                        new StructType().add("txt", DataTypes.StringType)))
            .getMessage(),
        e.getMessage());
  }
}
