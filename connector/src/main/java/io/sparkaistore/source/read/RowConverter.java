package io.sparkaistore.source.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Turns values into rows of one schema. Which value each column takes is decided once, when the
 * reader starts, so that no row looks up field names.
 *
 * @param <T> what a row is made from
 */
final class RowConverter<T> {
  private final List<Function<T, Object>> columns;

  private RowConverter(List<Function<T, Object>> columns) {
    this.columns = columns;
  }

  /**
   * A converter to {@code schema}: a column named in {@code named} takes that function's value, any
   * other column the value {@code otherwise} gives for its name.
   */
  static <T> RowConverter<T> of(
      StructType schema,
      Map<String, Function<T, Object>> named,
      Function<String, Function<T, Object>> otherwise) {
    List<Function<T, Object>> columns = new ArrayList<>();
    for (String field : schema.fieldNames()) {
      Function<T, Object> column = named.get(field);
      columns.add(column != null ? column : otherwise.apply(field));
    }
    return new RowConverter<>(List.copyOf(columns));
  }

  InternalRow toRow(T value) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = columns.get(i).apply(value);
    }
    return new GenericInternalRow(values);
  }
}
