package io.sparkaistore.source.read;

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
  private final Function<T, Object>[] columns;

  private RowConverter(Function<T, Object>[] columns) {
    this.columns = columns;
  }

  /**
   * A converter to {@code schema}: a column named in {@code named} takes that function's value, any
   * other column the value {@code otherwise} gives for its name.
   */
  @SuppressWarnings("unchecked")
  static <T> RowConverter<T> of(StructType schema, Map<String, Function<T, Object>> named,
      Function<String, Function<T, Object>> otherwise) {
    String[] fields = schema.fieldNames();
    Function<T, Object>[] columns = new Function[fields.length];
    for (int i = 0; i < fields.length; i++) {
      Function<T, Object> column = named.get(fields[i]);
      columns[i] = column != null ? column : otherwise.apply(fields[i]);
    }
    return new RowConverter<>(columns);
  }

  InternalRow toRow(T value) {
    Object[] values = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      values[i] = columns[i].apply(value);
    }
    return new GenericInternalRow(values);
  }
}
