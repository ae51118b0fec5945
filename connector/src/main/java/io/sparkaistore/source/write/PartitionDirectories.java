package io.sparkaistore.source.write;

import io.sparkaistore.source.partition.HivePaths;
import io.sparkaistore.source.partition.PartitionTypes;
import io.sparkaistore.wds.WdsKeys;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.SortDirection;
import org.apache.spark.sql.connector.expressions.SortOrder;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The partition columns of a webdataset write ({@code partitionBy}), checked on the driver: each
 * row's sample goes into a shard under {@code col=value/...}, one directory per column, in order,
 * and the columns are not written as members.
 */
final class PartitionDirectories implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] ordinals;
  private final String[] names;
  private final DataType[] types;

  private PartitionDirectories(List<StructField> columns, StructType schema) {
    this.ordinals = columns.stream().mapToInt(c -> schema.fieldIndex(c.name())).toArray();
    this.names = columns.stream().map(StructField::name).toArray(String[]::new);
    this.types = columns.stream().map(StructField::dataType).toArray(DataType[]::new);
  }

  /**
   * The directories of {@code columns} (as {@code partitionBy} names them; case-insensitive when
   * unambiguous, as Spark resolves them) in rows of {@code schema}.
   */
  static PartitionDirectories of(StructType schema, List<String> columns) {
    Set<StructField> resolved = new LinkedHashSet<>();
    for (String name : columns) {
      StructField column = resolve(schema, name);
      if (column.name().equals(WdsKeys.KEY)) {
        throw new IllegalArgumentException(
            "Cannot partition by __key__: each sample's key names its members in the shard."
                + " Partition by another column, e.g. one derived from the key.");
      }
      if (column.name().startsWith("_")) {
        // Reads skip names with a component starting with '_', as the staging area's
        throw new IllegalArgumentException(
            "Cannot partition by column '"
                + column.name()
                + "': its directories ("
                + column.name()
                + "=.../) would start with '_', and reads skip such names as hidden, so the"
                + " shards would be written and never read. Rename the column, e.g."
                + " withColumnRenamed(\""
                + column.name()
                + "\", \""
                + column.name().replaceFirst("^_+", "")
                + "\")");
      }
      PartitionTypes.checkWritable(column);
      if (!resolved.add(column)) {
        throw new IllegalArgumentException(
            "partitionBy names column '" + column.name() + "' twice; name each column once");
      }
    }
    return new PartitionDirectories(new ArrayList<>(resolved), schema);
  }

  private static StructField resolve(StructType schema, String name) {
    if (schema.getFieldIndex(name).isDefined()) {
      return schema.apply(name);
    }
    List<StructField> matches = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        matches.add(f);
      }
    }
    if (matches.size() != 1) {
      throw new IllegalArgumentException(
          "partitionBy column '"
              + name
              + "' is "
              + (matches.isEmpty() ? "not among" : "ambiguous in")
              + " the written columns "
              + List.of(schema.fieldNames()));
    }
    return matches.get(0);
  }

  boolean isEmpty() {
    return names.length == 0;
  }

  /** The partition columns' names, which are not written as members. */
  Set<String> names() {
    return Set.of(names);
  }

  /** The directory below the path of {@code row}'s shard: empty when unpartitioned. */
  String of(InternalRow row) {
    StringBuilder directory = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      directory.append(
          HivePaths.directory(names[i], PartitionTypes.text(row, ordinals[i], types[i])));
    }
    return directory.toString();
  }

  /**
   * The order a task's rows are asked in: by the partition columns, so that a task writes one
   * partition's shards after another and holds one open shard, whatever the number of partitions
   * (Spark's sort spills to disk where many writers open at once would each hold upload buffers).
   */
  SortOrder[] ordering() {
    SortOrder[] order = new SortOrder[names.length];
    for (int i = 0; i < names.length; i++) {
      String quoted = "`" + names[i].replace("`", "``") + "`";
      order[i] = Expressions.sort(Expressions.column(quoted), SortDirection.ASCENDING);
    }
    return order;
  }
}
