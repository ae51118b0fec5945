package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ShardSchemasTest {
  private static final Metadata INFERRED =
      new MetadataBuilder().putBoolean(ShardSchemas.INFERRED, true).build();

  @Test
  void membersHasShardPathSizeContent() {
    assertEquals(
        List.of("shard", "path", "size", "content"), List.of(ShardSchemas.MEMBERS.fieldNames()));
    assertEquals(DataTypes.LongType, ShardSchemas.MEMBERS.apply("size").dataType());
    assertEquals(DataTypes.BinaryType, ShardSchemas.MEMBERS.apply("content").dataType());
  }

  @Test
  void zippedHasOneBinaryColumnPerSource() {
    StructType schema = ShardSchemas.zipped(3);
    assertEquals(List.of("source_0", "source_1", "source_2"), List.of(schema.fieldNames()));
    for (String f : schema.fieldNames()) {
      assertEquals(DataTypes.BinaryType, schema.apply(f).dataType());
      assertFalse(schema.apply(f).nullable());
    }
  }

  @Test
  void extensionColumnsAreAllButKeyAndUrl() {
    StructType schema =
        new StructType()
            .add("__url__", DataTypes.StringType)
            .add("jpg", DataTypes.BinaryType)
            .add("__key__", DataTypes.StringType)
            .add("seg.png", DataTypes.BinaryType);
    assertEquals(List.of("jpg", "seg.png"), ShardSchemas.extensionColumns(schema));
  }

  @Test
  void onlyTheConnectorsKeyColumnMarksAnInferredSchema() {
    StructType given =
        new StructType().add("__key__", DataTypes.StringType).add("jpg", DataTypes.BinaryType);
    StructType inferred =
        new StructType()
            .add("__key__", DataTypes.StringType, false, INFERRED)
            .add("jpg", DataTypes.BinaryType);
    StructType withoutKey = new StructType().add("jpg", DataTypes.BinaryType, true, INFERRED);
    assertFalse(ShardSchemas.isInferred(given));
    assertTrue(ShardSchemas.isInferred(inferred));
    assertFalse(ShardSchemas.isInferred(withoutKey));
  }

  @Test
  void aUserSchemaNeedsStringKeysAndBinaryExtensions() {
    ShardSchemas.validateWebDataset(
        new StructType()
            .add("__key__", DataTypes.StringType)
            .add("__url__", DataTypes.StringType)
            .add("jpg", DataTypes.BinaryType));

    IllegalArgumentException intKey =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ShardSchemas.validateWebDataset(
                    new StructType()
                        .add("__key__", DataTypes.IntegerType)
                        .add("jpg", DataTypes.BinaryType)));
    assertEquals(
        "Invalid webdataset schema: column '__key__' is int, expected STRING", intKey.getMessage());

    IllegalArgumentException stringExt =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ShardSchemas.validateWebDataset(new StructType().add("txt", DataTypes.StringType)));
    assertEquals(
        "Invalid webdataset schema: column 'txt' is string, expected BINARY (one column per extension; "
            + "cast or decode it after reading)",
        stringExt.getMessage());

    IllegalArgumentException noExt =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ShardSchemas.validateWebDataset(
                    new StructType().add("__key__", DataTypes.StringType)));
    assertTrue(noExt.getMessage().endsWith(": it names no extension column"), noExt.getMessage());
  }
}
