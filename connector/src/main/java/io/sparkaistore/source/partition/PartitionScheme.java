package io.sparkaistore.source.partition;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The partition columns of a read and where its shards' directories start: each shard's values come
 * from the {@code col=value/} directories between its base and its name, which must be exactly the
 * read's partition columns, in order.
 */
public final class PartitionScheme implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> bases;
  private final StructType columns;

  /**
   * @param bases the directories partition directories start below, any order
   * @param columns the partition columns, in directory order
   */
  public PartitionScheme(List<String> bases, StructType columns) {
    List<String> longestFirst = new ArrayList<>(bases);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    this.bases = List.copyOf(longestFirst);
    this.columns = columns;
  }

  /**
   * The directories below which a read's partition directories start: {@code basePath} when given,
   * else each path's directory. A path that does not end with '/' also names a directory ({@code
   * ais://b/out} reads {@code out/split=train/...}) or, for the names not under it, the start of
   * names in its parent ({@code ais://b/out/shard-00}).
   *
   * @param prefixes each path's literal prefix
   * @param basePath the {@code basePath} option's prefix, or null
   */
  public static List<String> bases(List<String> prefixes, String basePath) {
    List<String> out = new ArrayList<>();
    if (basePath != null) {
      out.add(basePath.isEmpty() || basePath.endsWith("/") ? basePath : basePath + "/");
      return out;
    }
    for (String prefix : prefixes) {
      out.add(prefix.substring(0, prefix.lastIndexOf('/') + 1));
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        out.add(prefix + "/");
      }
    }
    return out;
  }

  public StructType columns() {
    return columns;
  }

  public boolean isEmpty() {
    return columns.isEmpty();
  }

  /** The base directory {@code name} is below. */
  public String baseOf(String name) {
    for (String base : bases) {
      if (name.startsWith(base)) {
        return base;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is under none of " + bases);
  }

  /**
   * The raw partition directories of {@code name}, column to escaped value, in directory order.
   *
   * @throws IllegalArgumentException on directories that mix partitions and others
   */
  public Map<String, String> rawValues(String name) {
    return HivePaths.parse(name.substring(baseOf(name).length()));
  }

  /**
   * The values (Spark's internal ones, by column) of shard {@code name}.
   *
   * @param shard the shard, in messages
   * @throws IllegalArgumentException naming the shard when its directories are not the read's
   *     partition columns or a value is not of its column's type
   */
  public Map<String, Object> values(String name, String shard) {
    Map<String, String> raw;
    try {
      raw = rawValues(name);
    } catch (IllegalArgumentException e) {
      throw inconsistent(shard, e.getMessage());
    }
    if (raw.isEmpty()) {
      throw inconsistent(
          shard,
          "it is in no partition directory, yet the schema's columns "
              + List.of(columns.fieldNames())
              + " are not BINARY, as a member extension's column is (cast or decode members after"
              + " reading)");
    }
    if (!new ArrayList<>(raw.keySet()).equals(List.of(columns.fieldNames()))) {
      throw inconsistent(
          shard, "its partition directories are " + raw.keySet() + ", not the read's");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (StructField column : columns.fields()) {
      try {
        values.put(
            column.name(),
            PartitionTypes.internal(HivePaths.value(raw.get(column.name())), column.dataType()));
      } catch (IllegalArgumentException e) {
        throw inconsistent(shard, "partition column '" + column.name() + "': " + e.getMessage());
      }
    }
    return values;
  }

  private IllegalArgumentException inconsistent(String shard, String problem) {
    return new IllegalArgumentException(
        "Inconsistent partition directories: shard "
            + shard
            + " does not fit the read's partition columns "
            + columns.simpleString()
            + " below "
            + bases
            + ": "
            + problem
            + ". Read each directory structure on its own, set option 'basePath' to the directory"
            + " the partition directories start below, or give the schema with .schema(...).");
  }
}
