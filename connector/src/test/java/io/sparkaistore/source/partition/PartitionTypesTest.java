package io.sparkaistore.source.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class PartitionTypesTest {
  @Test
  void infersTypesAsSparksPartitionDiscovery() {
    assertEquals(DataTypes.IntegerType, PartitionTypes.infer("2024"));
    assertEquals(DataTypes.IntegerType, PartitionTypes.infer("-7"));
    assertEquals(DataTypes.LongType, PartitionTypes.infer("9999999999"));
    assertEquals(DataTypes.createDecimalType(20, 0), PartitionTypes.infer("99999999999999999999"));
    assertEquals(DataTypes.DoubleType, PartitionTypes.infer("1.5"));
    assertEquals(DataTypes.DateType, PartitionTypes.infer("2024-02-29"));
    assertEquals(DataTypes.StringType, PartitionTypes.infer("2024-02-30"));
    assertEquals(DataTypes.StringType, PartitionTypes.infer("train"));
    assertEquals(DataTypes.NullType, PartitionTypes.infer("__HIVE_DEFAULT_PARTITION__"));
  }

  @Test
  void aWholeNumberBeyondADecimalsDigitsIsADoubleAsInSpark() {
    // A double column's 1e40 is written as 1.0E40: 41 digits, more than a decimal holds
    assertEquals(DataTypes.DoubleType, PartitionTypes.infer("1.0E40"));
    assertEquals(DataTypes.DoubleType, PartitionTypes.infer("1E+38"));
    assertEquals(DataTypes.createDecimalType(38, 0), PartitionTypes.infer("1E+37"));
    assertEquals(1.0e40, PartitionTypes.internal("1.0E40", PartitionTypes.infer("1.0E40")));
  }

  @Test
  void valuesOfDifferentTypesWidenOrBecomeStrings() {
    DataType i = DataTypes.IntegerType;
    DataType l = DataTypes.LongType;
    DataType d = DataTypes.DoubleType;
    assertEquals(l, PartitionTypes.widen(i, l));
    assertEquals(d, PartitionTypes.widen(i, d));
    // Spark falls back to strings rather than lose a long's digits in a double
    assertEquals(DataTypes.StringType, PartitionTypes.widen(l, d));
    assertEquals(DataTypes.StringType, PartitionTypes.widen(d, l));
    assertEquals(i, PartitionTypes.widen(DataTypes.NullType, i));
    assertEquals(i, PartitionTypes.widen(i, DataTypes.NullType));
    assertEquals(
        DataTypes.createDecimalType(21, 0),
        PartitionTypes.widen(l, DataTypes.createDecimalType(21, 0)));
    assertEquals(DataTypes.StringType, PartitionTypes.widen(DataTypes.createDecimalType(21, 0), d));
    assertEquals(DataTypes.StringType, PartitionTypes.widen(DataTypes.DateType, i));
    assertEquals(DataTypes.StringType, PartitionTypes.widen(DataTypes.StringType, i));
  }

  @Test
  void directoryTextBecomesSparksValueOfTheColumnsType() {
    assertEquals(5, PartitionTypes.internal("05", DataTypes.IntegerType));
    assertEquals(5L, PartitionTypes.internal("5", DataTypes.LongType));
    assertEquals(
        UTF8String.fromString("a/b"), PartitionTypes.internal("a/b", DataTypes.StringType));
    assertEquals(
        (int) LocalDate.of(2024, 2, 29).toEpochDay(),
        PartitionTypes.internal("2024-02-29", DataTypes.DateType));
    assertEquals(
        Decimal.apply(new BigDecimal("12.50")),
        PartitionTypes.internal("12.5", DataTypes.createDecimalType(5, 2)));
    assertEquals(true, PartitionTypes.internal("true", DataTypes.BooleanType));
    assertNull(PartitionTypes.internal(null, DataTypes.IntegerType));
    assertEquals(
        "value 'x' is not a int",
        assertThrows(
                IllegalArgumentException.class,
                () -> PartitionTypes.internal("x", DataTypes.IntegerType))
            .getMessage());
  }

  @Test
  void writtenTextIsSparksCastToString() {
    GenericInternalRow row =
        new GenericInternalRow(
            new Object[] {
              (int) LocalDate.of(2024, 1, 2).toEpochDay(),
              Decimal.apply(new BigDecimal("3.10")),
              1.5d,
              null,
              UTF8String.fromString("x")
            });
    assertEquals("2024-01-02", PartitionTypes.text(row, 0, DataTypes.DateType));
    assertEquals("3.10", PartitionTypes.text(row, 1, DataTypes.createDecimalType(4, 2)));
    assertEquals("1.5", PartitionTypes.text(row, 2, DataTypes.DoubleType));
    assertNull(PartitionTypes.text(row, 3, DataTypes.StringType));
    assertEquals("x", PartitionTypes.text(row, 4, DataTypes.StringType));
  }

  @Test
  void onlyAtomicTypesWithAStableTextPartitionAWrite() {
    PartitionTypes.checkWritable(new StructField("d", DataTypes.DateType, true, null));
    for (DataType t :
        new DataType[] {
          DataTypes.BinaryType,
          DataTypes.TimestampType,
          DataTypes.createArrayType(DataTypes.IntegerType),
          DataTypes.NullType
        }) {
      String message =
          assertThrows(
                  IllegalArgumentException.class,
                  () -> PartitionTypes.checkWritable(new StructField("c", t, true, null)))
              .getMessage();
      assertTrue(message.startsWith("Cannot partition by column 'c' of type "), message);
    }
  }
}
