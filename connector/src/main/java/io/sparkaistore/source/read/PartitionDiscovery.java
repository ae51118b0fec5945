package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.source.options.ReadConfig;
import io.sparkaistore.source.partition.HivePaths;
import io.sparkaistore.source.partition.PartitionScheme;
import io.sparkaistore.source.partition.PartitionTypes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.StructType;

/**
 * Finds the partition columns of a webdataset read, as Spark's partition discovery does: the {@code
 * col=value/} directories below the base of every shard, the same columns in the same order for all
 * (else the read fails naming two shards that differ), with types inferred from all values when
 * {@code spark.sql.sources.partitionColumnTypeInference.enabled}, else strings.
 */
final class PartitionDiscovery {
  private PartitionDiscovery() {}

  /** The directories a read's partition directories start below. */
  static List<String> bases(ReadConfig options) {
    List<String> prefixes = new ArrayList<>();
    for (AisPath path : options.paths()) {
      prefixes.add(path.prefix());
    }
    return PartitionScheme.bases(prefixes, options.basePath());
  }

  /** The partition columns of the shards under the read's paths, from one listing of names. */
  static StructType columns(AisClient client, ReadConfig options) throws AisException {
    PartitionScheme scheme = new PartitionScheme(bases(options), new StructType());
    boolean inferTypes = SQLConf.get().partitionColumnTypeInferenceEnabled();
    Map<String, DataType> types = new LinkedHashMap<>();
    String first = null;
    for (AisPath path : options.paths()) {
      AisClient.ObjectLister pages =
          client.lister(
              path.bucket(),
              ListOptions.prefix(path.prefix())
                  .withProps("name")
                  .withPageSize(options.listPageSize()));
      while (pages.hasNextPage()) {
        for (ObjectEntry e : pages.nextPage()) {
          if (!SourceListing.isData(path.prefix(), e.name(), true) || !path.selects(e.name())) {
            continue;
          }
          Map<String, String> raw = rawValues(scheme, path, e.name());
          if (first == null) {
            first = path.bucket() + "/" + e.name();
            raw.keySet().forEach(c -> types.put(c, DataTypes.NullType));
          } else if (!new ArrayList<>(raw.keySet()).equals(new ArrayList<>(types.keySet()))) {
            throw conflicting(first, types.keySet(), path, e.name(), raw.keySet());
          }
          raw.forEach((c, v) -> types.merge(c, typeOf(v, inferTypes), PartitionTypes::widen));
        }
      }
    }
    StructType columns = new StructType();
    for (Map.Entry<String, DataType> c : types.entrySet()) {
      DataType type = c.getValue() instanceof NullType ? DataTypes.StringType : c.getValue();
      columns = columns.add(c.getKey(), type, true);
    }
    return columns;
  }

  private static Map<String, String> rawValues(PartitionScheme scheme, AisPath path, String name) {
    try {
      return scheme.rawValues(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Conflicting directory structures under "
              + path
              + ": "
              + e.getMessage()
              + ". Set option 'basePath' to the directory the partition directories start below,"
              + " or read a path without the other directories.",
          e);
    }
  }

  private static DataType typeOf(String raw, boolean inferTypes) {
    if (inferTypes) {
      return PartitionTypes.infer(raw);
    }
    return HivePaths.DEFAULT_PARTITION.equals(raw) ? DataTypes.NullType : DataTypes.StringType;
  }

  private static IllegalArgumentException conflicting(
      String first,
      Collection<String> firstColumns,
      AisPath path,
      String name,
      Set<String> columns) {
    return new IllegalArgumentException(
        "Conflicting directory structures: shard "
            + first
            + " has "
            + described(firstColumns)
            + ", shard "
            + path.bucket()
            + "/"
            + name
            + " has "
            + described(columns)
            + ". Every shard below the path must sit in directories of the same partition columns,"
            + " in the same order; read the directories apart, or set option 'basePath'.");
  }

  private static String described(Collection<String> columns) {
    return columns.isEmpty() ? "no partition directories" : "partition columns " + columns;
  }
}
