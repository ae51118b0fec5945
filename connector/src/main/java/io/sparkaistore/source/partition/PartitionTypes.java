package io.sparkaistore.source.partition;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The types a partition column can have, the text a value is written as, and the types read back
 * from directory names: as Spark's file sources, with {@code
 * spark.sql.sources.partitionColumnTypeInference.enabled}, integers, then longs, decimals, doubles,
 * dates, and otherwise strings; values of one column of different types widen, or fall back to
 * strings.
 */
public final class PartitionTypes {
  private static final List<Class<? extends DataType>> WRITABLE =
      List.of(
          StringType.class,
          ByteType.class,
          ShortType.class,
          IntegerType.class,
          LongType.class,
          BooleanType.class,
          DateType.class,
          DecimalType.class,
          FloatType.class,
          DoubleType.class);

  private PartitionTypes() {}

  /** Refuses a column that cannot partition a write, saying what to do instead. */
  public static void checkWritable(StructField column) {
    for (Class<? extends DataType> type : WRITABLE) {
      if (type.isInstance(column.dataType())) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "Cannot partition by column '"
            + column.name()
            + "' of type "
            + column.dataType().simpleString()
            + ": a partition column is a string, integral, boolean, date, decimal or floating-point"
            + " column, whose text names a directory (a timestamp's would depend on the session time"
            + " zone). Partition by a derived column instead, e.g. date_format(col(\""
            + column.name()
            + "\"), \"yyyy-MM-dd\")");
  }

  /** The text of a partition value as Spark casts it to a string; null for null. */
  public static String text(InternalRow row, int ordinal, DataType type) {
    if (row.isNullAt(ordinal)) {
      return null;
    }
    if (type instanceof DateType) {
      return LocalDate.ofEpochDay(row.getInt(ordinal)).toString();
    }
    if (type instanceof DecimalType) {
      DecimalType decimal = (DecimalType) type;
      return row.getDecimal(ordinal, decimal.precision(), decimal.scale()).toString();
    }
    return row.get(ordinal, type).toString();
  }

  /** The type of one raw directory value, with type inference; NullType for the default. */
  public static DataType infer(String raw) {
    if (HivePaths.DEFAULT_PARTITION.equals(raw)) {
      return DataTypes.NullType;
    }
    try {
      Integer.parseInt(raw);
      return DataTypes.IntegerType;
    } catch (NumberFormatException notInt) {
      // try the next type
    }
    try {
      Long.parseLong(raw);
      return DataTypes.LongType;
    } catch (NumberFormatException notLong) {
      // try the next type
    }
    DataType decimal = integralDecimal(raw);
    if (decimal != null) {
      return decimal;
    }
    try {
      Double.parseDouble(raw);
      return DataTypes.DoubleType;
    } catch (NumberFormatException notDouble) {
      // try the next type
    }
    try {
      LocalDate.parse(raw);
      return DataTypes.DateType;
    } catch (DateTimeParseException notDate) {
      return DataTypes.StringType;
    }
  }

  /** A whole number too long for a long, as Spark infers it: a decimal of scale 0, or null. */
  private static DataType integralDecimal(String raw) {
    try {
      BigDecimal value = new BigDecimal(raw);
      // 1.0E40 has 2 significant digits but 41 whole ones, more than a decimal holds
      int digits = value.precision() - value.scale();
      if (value.scale() > 0 || digits > DecimalType.MAX_PRECISION()) {
        return null;
      }
      return DataTypes.createDecimalType(Math.max(digits, 1), 0);
    } catch (NumberFormatException notDecimal) {
      return null;
    }
  }

  /**
   * The type two values' types widen to, as Spark's partition discovery widens them: a long and a
   * double become strings, since a double would round the long's digits.
   */
  public static DataType widen(DataType a, DataType b) {
    if (a.equals(b) || b instanceof NullType) {
      return a;
    }
    if (a instanceof NullType) {
      return b;
    }
    if (isIntegral(a) && isIntegral(b)) {
      return DataTypes.LongType;
    }
    if ((a instanceof IntegerType && b instanceof DoubleType)
        || (a instanceof DoubleType && b instanceof IntegerType)) {
      return DataTypes.DoubleType;
    }
    if (isWholeDecimal(a) && isWholeDecimal(b)) {
      int digits = Math.min(Math.max(digits(a), digits(b)), DecimalType.MAX_PRECISION());
      return DataTypes.createDecimalType(digits, 0);
    }
    return DataTypes.StringType;
  }

  private static boolean isIntegral(DataType t) {
    return t instanceof IntegerType || t instanceof LongType;
  }

  private static boolean isWholeDecimal(DataType t) {
    return isIntegral(t) || (t instanceof DecimalType && ((DecimalType) t).scale() == 0);
  }

  private static int digits(DataType t) {
    if (t instanceof IntegerType) {
      return 10;
    }
    return t instanceof LongType ? 20 : ((DecimalType) t).precision();
  }

  /**
   * The value Spark holds for {@code value} (a directory's, unescaped; null for the default
   * partition) in a column of {@code type}.
   *
   * @throws IllegalArgumentException when the text is not of that type
   */
  public static Object internal(String value, DataType type) {
    if (value == null) {
      return null;
    }
    try {
      if (type instanceof StringType) {
        return UTF8String.fromString(value);
      }
      if (type instanceof IntegerType) {
        return Integer.parseInt(value);
      }
      if (type instanceof LongType) {
        return Long.parseLong(value);
      }
      if (type instanceof ShortType) {
        return Short.parseShort(value);
      }
      if (type instanceof ByteType) {
        return Byte.parseByte(value);
      }
      if (type instanceof DoubleType) {
        return Double.parseDouble(value);
      }
      if (type instanceof FloatType) {
        return Float.parseFloat(value);
      }
      if (type instanceof DateType) {
        return Math.toIntExact(LocalDate.parse(value).toEpochDay());
      }
      if (type instanceof DecimalType) {
        DecimalType decimal = (DecimalType) type;
        Decimal parsed = Decimal.apply(new BigDecimal(value));
        if (!parsed.changePrecision(decimal.precision(), decimal.scale())) {
          throw new NumberFormatException("out of range for " + type.simpleString());
        }
        return parsed;
      }
      if (type instanceof BooleanType && ("true".equals(value) || "false".equals(value))) {
        return Boolean.parseBoolean(value);
      }
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      // reported below
    }
    throw new IllegalArgumentException("value '" + value + "' is not a " + type.simpleString());
  }
}
