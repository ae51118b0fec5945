package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class PartitionDirectoriesTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("__key__", DataTypes.StringType)
          .add("jpg", DataTypes.BinaryType)
          .add("_source", DataTypes.StringType);

  @Test
  void aColumnStartingWithUnderscoreIsRefusedSinceReadsSkipItsDirectories() {
    // Reads skip names with a component starting with '_' (as _temporary/): shards under
    // _source=a/ would be committed, then never read.
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> PartitionDirectories.of(SCHEMA, List.of("_source")))
            .getMessage();
    assertTrue(message.startsWith("Cannot partition by column '_source'"), message);
  }

  @Test
  void directoriesAreEscapedInColumnOrder() {
    StructType schema = SCHEMA.add("split", DataTypes.StringType);
    PartitionDirectories dirs = PartitionDirectories.of(schema, List.of("SPLIT"));
    GenericInternalRow row =
        new GenericInternalRow(
            new Object[] {UTF8String.fromString("k"), null, null, UTF8String.fromString("a/b")});
    assertEquals("split=a%2Fb/", dirs.of(row));
  }
}
