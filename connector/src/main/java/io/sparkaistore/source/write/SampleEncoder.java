package io.sparkaistore.source.write;

import io.sparkaistore.wds.DaliIndex;
import io.sparkaistore.wds.WdsKeys;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a row into a WebDataset sample: {@code __key__} names it, every other column becomes the
 * member {@code <key>.<column>}: BINARY as is, STRING as UTF-8, integral numbers as decimal text
 * (the {@code cls} convention); nulls are left out. Columns starting with {@code _} ({@code
 * __url__}, say) are metadata and not written. Checked once, on the driver, with messages that say
 * what to do.
 */
final class SampleEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int keyOrdinal;
  private final List<Member> members;

  private static final class Member implements Serializable {
    private static final long serialVersionUID = 1L;
    final int ordinal;
    final String extension;
    final Kind kind;

    Member(int ordinal, String extension, Kind kind) {
      this.ordinal = ordinal;
      this.extension = extension;
      this.kind = kind;
    }
  }

  private enum Kind {
    BINARY,
    STRING,
    BYTE,
    SHORT,
    INT,
    LONG
  }

  private SampleEncoder(int keyOrdinal, List<Member> members) {
    this.keyOrdinal = keyOrdinal;
    this.members = members;
  }

  /**
   * The encoder of rows of {@code schema}, whose columns are checked first; {@code indexed} when
   * each shard gets a DALI index, which some extensions cannot be named in.
   */
  static SampleEncoder forSchema(StructType schema, boolean indexed) {
    return forSchema(schema, indexed, Set.of());
  }

  /** {@link #forSchema(StructType, boolean)} without the columns {@code partitions}. */
  static SampleEncoder forSchema(StructType schema, boolean indexed, Set<String> partitions) {
    int key = -1;
    List<Member> members = new ArrayList<>();
    Map<String, String> lowerCase = new HashMap<>();
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      StructField f = fields[i];
      if (f.name().equals(WdsKeys.KEY)) {
        if (key >= 0) {
          throw new IllegalArgumentException(
              "Column __key__ appears twice (columns "
                  + List.of(schema.fieldNames())
                  + "); keep one, e.g. drop the other side's after a join");
        }
        if (!(f.dataType() instanceof StringType)) {
          throw new IllegalArgumentException(
              "Column __key__ is "
                  + f.dataType().simpleString()
                  + "; it must be a STRING (cast it: col(\"__key__\").cast(\"string\"))");
        }
        key = i;
      } else if (!f.name().startsWith("_") && !partitions.contains(f.name())) {
        checkExtension(f.name());
        if (indexed) {
          DaliIndex.checkExtension(f.name());
        }
        String clash = lowerCase.put(f.name().toLowerCase(Locale.ROOT), f.name());
        if (f.name().equals(clash)) {
          throw new IllegalArgumentException(
              "Column '"
                  + clash
                  + "' appears twice; each column becomes the member "
                  + "<key>."
                  + clash
                  + ". Drop or rename one of them.");
        }
        if (clash != null) {
          throw new IllegalArgumentException(
              "Columns '"
                  + clash
                  + "' and '"
                  + f.name()
                  + "' differ only in case; "
                  + "readers lower-case extensions, so they would collide. Rename one of them.");
        }
        members.add(new Member(i, f.name(), kind(f)));
      }
    }
    if (key < 0) {
      throw new IllegalArgumentException(
          "Writing layout webdataset needs a STRING column __key__ naming each "
              + "sample (e.g. .withColumn(\"__key__\", ...)); the columns are "
              + List.of(schema.fieldNames()));
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException(
          "Writing layout webdataset needs at least one column besides __key__: "
              + "each becomes a member <key>.<column>");
    }
    return new SampleEncoder(key, members);
  }

  private static void checkExtension(String column) {
    if (column.isEmpty()
        || column.contains("/")
        || column.indexOf('\0') >= 0
        || column.startsWith(".")
        || column.endsWith(".")) {
      throw new IllegalArgumentException(
          "Column '"
              + column
              + "' cannot be a member extension: an extension is "
              + "not empty, has no '/' or NUL and does not start or end with '.'. Rename the column.");
    }
  }

  private static Kind kind(StructField f) {
    DataType t = f.dataType();
    if (t instanceof BinaryType) {
      return Kind.BINARY;
    }
    if (t instanceof StringType) {
      return Kind.STRING;
    }
    if (t instanceof ByteType) {
      return Kind.BYTE;
    }
    if (t instanceof ShortType) {
      return Kind.SHORT;
    }
    if (t instanceof IntegerType) {
      return Kind.INT;
    }
    if (t instanceof LongType) {
      return Kind.LONG;
    }
    throw new IllegalArgumentException(
        "Column '"
            + f.name()
            + "' is "
            + t.simpleString()
            + ": WebDataset members "
            + "are bytes, and only BINARY, STRING and integral columns convert unambiguously. Convert it first, e.g. "
            + "col(\""
            + f.name()
            + "\").cast(\"string\") for its text, or to_json(col(\""
            + f.name()
            + "\")) for a "
            + "struct, array or map.");
  }

  /** The row's key, checked; the message names the problem and how readers would see the key. */
  String key(InternalRow row) {
    String key = row.isNullAt(keyOrdinal) ? null : row.getUTF8String(keyOrdinal).toString();
    String problem = WdsKeys.problem(key);
    if (problem != null) {
      throw new IllegalArgumentException("Invalid __key__ '" + key + "': " + problem);
    }
    return key;
  }

  /** Extension to bytes, in extension order, without the null columns. */
  SortedMap<String, byte[]> members(InternalRow row) {
    SortedMap<String, byte[]> out = new TreeMap<>();
    for (Member m : members) {
      if (!row.isNullAt(m.ordinal)) {
        out.put(m.extension, bytes(row, m));
      }
    }
    return out;
  }

  private static byte[] bytes(InternalRow row, Member m) {
    switch (m.kind) {
      case BINARY:
        return row.getBinary(m.ordinal);
      case STRING:
        return row.getUTF8String(m.ordinal).getBytes();
      case BYTE:
        return ascii(row.getByte(m.ordinal));
      case SHORT:
        return ascii(row.getShort(m.ordinal));
      case INT:
        return ascii(row.getInt(m.ordinal));
      default:
        return ascii(row.getLong(m.ordinal));
    }
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }
}
