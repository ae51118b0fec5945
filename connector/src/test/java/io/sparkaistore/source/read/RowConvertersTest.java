package io.sparkaistore.source.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.wds.KeyRule;
import io.sparkaistore.wds.Sample;
import io.sparkaistore.wds.SampleReader;
import io.sparkaistore.wds.ShardReader;
import io.sparkaistore.wds.TarShardWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.TreeMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

/**
 * Each layout's row converter puts each column's value where the (pruned, reordered) schema asks.
 */
class RowConvertersTest {
  private static final byte[] BYTES = "hello".getBytes(StandardCharsets.UTF_8);

  @Test
  void objectRowsFollowTheSchemasOrder() {
    Instant atime = Instant.parse("2024-01-02T03:04:05.123456789Z");
    ListedObject object =
        new ListedObject(
            AisBucket.ais("b"), new ObjectEntry("dir/x.bin", 5, "abc", "2", atime, null, 0));
    StructType schema =
        new StructType()
            .add("content", DataTypes.BinaryType)
            .add("atime", DataTypes.TimestampType)
            .add("name", DataTypes.StringType)
            .add("bucket", DataTypes.StringType)
            .add("size", DataTypes.LongType)
            .add("checksum", DataTypes.StringType)
            .add("version", DataTypes.StringType);
    InternalRow row =
        ObjectsLayout.rowConverter(schema).toRow(new ObjectsLayout.ObjectRow(object, BYTES));
    assertArrayEquals(BYTES, row.getBinary(0));
    // Microseconds: the nanoseconds below are dropped.
    assertEquals(1704164645_123456L, row.getLong(1));
    assertEquals("dir/x.bin", row.getUTF8String(2).toString());
    assertEquals("b", row.getUTF8String(3).toString());
    assertEquals(5, row.getLong(4));
    assertEquals("abc", row.getUTF8String(5).toString());
    assertEquals("2", row.getUTF8String(6).toString());
  }

  @Test
  void absentObjectPropertiesAreNull() {
    ListedObject object =
        new ListedObject(AisBucket.ais("b"), new ObjectEntry("x", 0, null, null, null, null, 0));
    InternalRow row =
        ObjectsLayout.rowConverter(ObjectSchema.SCHEMA)
            .toRow(new ObjectsLayout.ObjectRow(object, null));
    for (String column : new String[] {"version", "checksum", "atime", "content"}) {
      assertEquals(true, row.isNullAt(ObjectSchema.SCHEMA.fieldIndex(column)), column);
    }
  }

  @Test
  void anUnknownObjectColumnFailsWhenTheConverterIsBuilt() {
    StructType schema = new StructType().add("owner", DataTypes.StringType);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ObjectsLayout.rowConverter(schema));
    assertEquals("Unknown column owner", e.getMessage());
  }

  @Test
  void memberRowsTakeShardPathSizeAndContent() {
    StructType schema =
        new StructType()
            .add("size", DataTypes.LongType)
            .add("content", DataTypes.BinaryType)
            .add("path", DataTypes.StringType)
            .add("shard", DataTypes.StringType);
    InternalRow row =
        MembersLayout.rowConverter(schema)
            .toRow(
                new MembersLayout.MemberRow(
                    UTF8String.fromString("ais://b/s.tar"), "a/b.txt", 5, BYTES));
    assertEquals(5, row.getLong(0));
    assertArrayEquals(BYTES, row.getBinary(1));
    assertEquals("a/b.txt", row.getUTF8String(2).toString());
    assertEquals("ais://b/s.tar", row.getUTF8String(3).toString());
  }

  @Test
  void sampleRowsTakeKeyUrlAndOneColumnPerExtension() throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarShardWriter writer = TarShardWriter.tar(tar)) {
      TreeMap<String, byte[]> members = new TreeMap<>();
      members.put("txt", BYTES);
      members.put("cls", "7".getBytes(StandardCharsets.UTF_8));
      writer.write("s/0001", members);
    }
    Sample sample;
    try (SampleReader samples =
        new SampleReader(
            ShardReader.open(new ByteArrayInputStream(tar.toByteArray()), "s.tar"),
            KeyRule.WEBDATASET,
            true,
            ext -> true,
            1 << 20)) {
      sample = samples.next();
    }
    StructType schema =
        new StructType()
            .add("txt", DataTypes.BinaryType)
            .add("__url__", DataTypes.StringType)
            .add("jpg", DataTypes.BinaryType)
            .add("__key__", DataTypes.StringType)
            .add("cls", DataTypes.BinaryType);
    InternalRow row =
        WebDatasetLayout.rowConverter(schema)
            .toRow(new WebDatasetLayout.SampleRow(UTF8String.fromString("ais://b/s.tar"), sample));
    assertArrayEquals(BYTES, row.getBinary(0));
    assertEquals("ais://b/s.tar", row.getUTF8String(1).toString());
    assertNull(row.getBinary(2)); // a column the sample lacks
    assertEquals("s/0001", row.getUTF8String(3).toString());
    assertArrayEquals("7".getBytes(StandardCharsets.UTF_8), row.getBinary(4));
  }
}
