package io.sparkaistore.source.read;

import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.source.options.ReadConfig;
import io.sparkaistore.source.partition.HivePaths;
import io.sparkaistore.source.partition.PartitionFilters;
import io.sparkaistore.source.partition.PartitionScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.StringStartsWith;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The partition columns of a webdataset read, on the driver: which of the read's columns the layout
 * reads and which come from the shards' directories, and which shards the filters on partition
 * columns rule out before any task opens them. The listing is narrowed to {@code col=value/} when
 * the first partition column is pinned to a string by equality; other filters are evaluated on each
 * listed shard's values. Spark still applies every filter to the rows.
 */
final class PartitionPruning {
  private final PartitionScheme scheme;
  private PartitionFilters filters = PartitionFilters.of(List.of(), new StructType());

  private PartitionPruning(PartitionScheme scheme) {
    this.scheme = scheme;
  }

  /** The partitions of a read of {@code tableSchema}: none but in the webdataset layout. */
  static PartitionPruning of(ReadConfig options, StructType tableSchema) {
    StructType columns =
        options.layout() == Layout.WEBDATASET
            ? LayoutSchema.partitionColumns(tableSchema)
            : new StructType();
    return new PartitionPruning(new PartitionScheme(PartitionDiscovery.bases(options), columns));
  }

  PartitionScheme scheme() {
    return scheme;
  }

  /** Keeps the filters that rule out shards by their partition values. */
  void push(Filter[] pushed) {
    filters = PartitionFilters.of(Arrays.asList(pushed), scheme.columns());
  }

  /**
   * What the layout reads of {@code readSchema}: its own columns, and {@code __url__} to tell the
   * shard of each row when partition columns are read.
   */
  StructType layoutSchema(StructType readSchema) {
    return layoutSchema(scheme, readSchema);
  }

  static StructType layoutSchema(PartitionScheme scheme, StructType readSchema) {
    if (scheme.isEmpty()) {
      return readSchema;
    }
    StructType out = new StructType();
    boolean partitionRead = false;
    for (StructField f : readSchema.fields()) {
      if (scheme.columns().getFieldIndex(f.name()).isDefined()) {
        partitionRead = true;
      } else {
        out = out.add(f);
      }
    }
    if (partitionRead && out.getFieldIndex(ShardSchemas.URL).isEmpty()) {
      out = out.add(ShardSchemas.URL, DataTypes.StringType, false);
    }
    return out;
  }

  /**
   * {@code filters} with a name prefix of the partition the first column is pinned to, when the
   * read has one base directory and the column is a string pinned by {@code =} to a value whose
   * directory has one spelling: reads unescape every {@code %XX}, so {@code split=a%2fb/} and
   * {@code split=a%20b/} (other writers' escapes) hold {@code a/b} and {@code a b} too, and a
   * listing of the canonical directory alone would miss their rows.
   */
  ObjectFilters narrow(ObjectFilters objectFilters, List<String> bases) {
    Set<String> unique = new HashSet<>(bases);
    if (scheme.isEmpty() || unique.size() != 1) {
      return objectFilters;
    }
    StructField first = scheme.columns().fields()[0];
    for (Filter f : filters.filters()) {
      if (f instanceof EqualTo
          && first.dataType() instanceof StringType
          && ((EqualTo) f).attribute().equals(first.name())
          && ((EqualTo) f).value() instanceof String
          && HivePaths.isUnreserved(first.name())
          && HivePaths.isUnreserved((String) ((EqualTo) f).value())) {
        List<Filter> narrowed = new ArrayList<>(objectFilters.filters());
        String directory = HivePaths.directory(first.name(), (String) ((EqualTo) f).value());
        narrowed.add(new StringStartsWith(ObjectSchema.NAME, unique.iterator().next() + directory));
        return new ObjectFilters(narrowed);
      }
    }
    return objectFilters;
  }

  /**
   * The shards whose partition values the filters may match; every shard's directories are checked
   * against the partition columns.
   */
  List<ListedObject> prune(List<ListedObject> listed) {
    if (scheme.isEmpty()) {
      return listed;
    }
    List<ListedObject> kept = new ArrayList<>();
    for (ListedObject shard : listed) {
      if (filters.mayMatch(scheme.values(shard.name(), shard.toString()))) {
        kept.add(shard);
      }
    }
    return kept;
  }
}
