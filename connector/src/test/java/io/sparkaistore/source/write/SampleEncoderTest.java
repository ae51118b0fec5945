package io.sparkaistore.source.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class SampleEncoderTest {
  private static final StructType EVERY_KIND =
      new StructType()
          .add("txt", DataTypes.StringType)
          .add("__key__", DataTypes.StringType)
          .add("jpg", DataTypes.BinaryType)
          .add("b", DataTypes.ByteType)
          .add("s", DataTypes.ShortType)
          .add("cls", DataTypes.IntegerType)
          .add("l", DataTypes.LongType)
          .add("__url__", DataTypes.StringType)
          .add("_note", DataTypes.StringType);

  private static InternalRow row(Object... values) {
    Object[] converted = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      converted[i] = values[i] instanceof String s ? UTF8String.fromString(s) : values[i];
    }
    return new GenericInternalRow(converted);
  }

  private static String refusal(StructType schema) {
    return assertThrows(
            IllegalArgumentException.class, () -> SampleEncoder.forSchema(schema, false))
        .getMessage();
  }

  @Test
  void everyColumnButKeyAndMetadataBecomesAMemberInExtensionOrder() {
    SampleEncoder encoder = SampleEncoder.forSchema(EVERY_KIND, false);
    InternalRow row =
        row(
            "héllo",
            "d/k1",
            new byte[] {0, (byte) 0xff},
            (byte) -8,
            (short) 300,
            7,
            Long.MIN_VALUE,
            "s3://x",
            "n");
    assertEquals("d/k1", encoder.key(row));
    SortedMap<String, byte[]> members = encoder.members(row);
    assertEquals(List.of("b", "cls", "jpg", "l", "s", "txt"), List.copyOf(members.keySet()));
    assertArrayEquals(new byte[] {0, (byte) 0xff}, members.get("jpg"));
    assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), members.get("txt"));
    assertEquals("-8", ascii(members.get("b")));
    assertEquals("300", ascii(members.get("s")));
    assertEquals("7", ascii(members.get("cls")));
    assertEquals("-9223372036854775808", ascii(members.get("l")));
  }

  @Test
  void nullColumnsAreLeftOutAndEmptyValuesKept() {
    SampleEncoder encoder = SampleEncoder.forSchema(EVERY_KIND, false);
    SortedMap<String, byte[]> members =
        encoder.members(row("", "k", null, null, null, null, 0L, null, null));
    assertEquals(List.of("l", "txt"), List.copyOf(members.keySet()));
    assertArrayEquals(new byte[0], members.get("txt"));
    assertEquals("0", ascii(members.get("l")));
  }

  @Test
  void survivesSerializationToTheExecutors() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(SampleEncoder.forSchema(EVERY_KIND, false));
    }
    SampleEncoder copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SampleEncoder) in.readObject();
    }
    InternalRow row = row("t", "k", null, null, null, 3, null, null, null);
    assertEquals("k", copy.key(row));
    assertEquals(List.of("cls", "txt"), List.copyOf(copy.members(row).keySet()));
  }

  @Test
  void aBadKeyIsRefusedWithWhatIsWrong() {
    SampleEncoder encoder = SampleEncoder.forSchema(EVERY_KIND, false);
    assertEquals(
        "Invalid __key__ 'null': the key is empty",
        assertThrows(
                IllegalArgumentException.class,
                () -> encoder.key(row("t", null, null, null, null, null, null, null, null)))
            .getMessage());
    assertEquals(
        "Invalid __key__ '/abs': the key is an absolute path; tar tools strip the leading '/'",
        assertThrows(
                IllegalArgumentException.class,
                () -> encoder.key(row("t", "/abs", null, null, null, null, null, null, null)))
            .getMessage());
  }

  @Test
  void aSchemaWithoutKeyNamesItsColumns() {
    assertEquals(
        "Writing layout webdataset needs a STRING column __key__ naming each sample (e.g. .withColumn("
            + "\"__key__\", ...)); the columns are [txt, __url__]",
        refusal(
            new StructType()
                .add("txt", DataTypes.StringType)
                .add("__url__", DataTypes.StringType)));
  }

  @Test
  void aKeyThatIsNotAStringSaysHowToCastIt() {
    assertEquals(
        "Column __key__ is bigint; it must be a STRING (cast it: col(\"__key__\").cast(\"string\"))",
        refusal(
            new StructType().add("__key__", DataTypes.LongType).add("txt", DataTypes.StringType)));
  }

  @Test
  void aKeyTwiceIsRefused() {
    assertEquals(
        "Column __key__ appears twice (columns [__key__, txt, __key__]); keep one, e.g. drop the other "
            + "side's after a join",
        refusal(
            new StructType()
                .add("__key__", DataTypes.StringType)
                .add("txt", DataTypes.StringType)
                .add("__key__", DataTypes.StringType)));
  }

  @Test
  void aKeyAloneHasNothingToWrite() {
    assertEquals(
        "Writing layout webdataset needs at least one column besides __key__: each becomes a member "
            + "<key>.<column>",
        refusal(
            new StructType()
                .add("__key__", DataTypes.StringType)
                .add("__url__", DataTypes.StringType)));
  }

  @Test
  void aColumnOfAnotherTypeSaysHowToConvertIt() {
    assertEquals(
        "Column 'score' is double: WebDataset members are bytes, and only BINARY, STRING and integral "
            + "columns convert unambiguously. Convert it first, e.g. col(\"score\").cast(\"string\") for its text, or "
            + "to_json(col(\"score\")) for a struct, array or map.",
        refusal(
            new StructType()
                .add("__key__", DataTypes.StringType)
                .add("score", DataTypes.DoubleType)));
    String nested =
        refusal(
            new StructType()
                .add("__key__", DataTypes.StringType)
                .add("meta", new StructType().add("a", DataTypes.IntegerType)));
    assertTrue(
        nested.startsWith("Column 'meta' is struct<a:int>: WebDataset members are bytes"), nested);
  }

  @Test
  void columnsThatCannotBeExtensionsAreNamed() {
    for (String column : new String[] {"", "a/b", ".jpg", "jpg.", "a\0b"}) {
      assertEquals(
          "Column '"
              + column
              + "' cannot be a member extension: an extension is not empty, has no '/' or "
              + "NUL and does not start or end with '.'. Rename the column.",
          refusal(
              new StructType()
                  .add("__key__", DataTypes.StringType)
                  .add(column, DataTypes.StringType)),
          column);
    }
    SampleEncoder dotted =
        SampleEncoder.forSchema(
            new StructType()
                .add("__key__", DataTypes.StringType)
                .add("seg.png", DataTypes.BinaryType),
            true);
    assertEquals(
        List.of("seg.png"), List.copyOf(dotted.members(row("k", new byte[] {1})).keySet()));
  }

  @Test
  void aColumnWithWhitespaceIsRefusedBeforeAnyTaskWhenShardsAreIndexed() {
    for (String column : new String[] {"a b", "a\tb", "a\nb", "a\rb", "a\u000bb", "a\fb"}) {
      StructType schema =
          new StructType().add("__key__", DataTypes.StringType).add(column, DataTypes.BinaryType);
      String refusal =
          assertThrows(IllegalArgumentException.class, () -> SampleEncoder.forSchema(schema, true))
              .getMessage();
      assertEquals(
          "Column '"
              + column
              + "' cannot be indexed: DALI's index separates fields with whitespace, so a member "
              + "extension cannot contain spaces, tabs or line breaks. Rename the column, or write "
              + "without indexes (option shardIndex false).",
          refusal,
          column);
      // Without an index the name is a valid extension.
      assertEquals(
          List.of(column),
          List.copyOf(
              SampleEncoder.forSchema(schema, false).members(row("k", new byte[] {1})).keySet()));
    }
  }

  @Test
  void columnsThatWouldCollideAreRefused() {
    assertEquals(
        "Columns 'Jpg' and 'jpg' differ only in case; readers lower-case extensions, so they would collide. "
            + "Rename one of them.",
        refusal(
            new StructType()
                .add("__key__", DataTypes.StringType)
                .add("Jpg", DataTypes.BinaryType)
                .add("jpg", DataTypes.BinaryType)));
    assertEquals(
        "Column 'jpg' appears twice; each column becomes the member <key>.jpg. Drop or rename one of them.",
        refusal(
            new StructType()
                .add("__key__", DataTypes.StringType)
                .add("jpg", DataTypes.BinaryType)
                .add("jpg", DataTypes.BinaryType)));
  }

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }
}
