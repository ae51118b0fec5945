package io.sparkaistore.source.read;

import io.sparkaistore.source.options.ReadConfig;
import io.sparkaistore.source.options.ReadTaskConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/**
 * The row model of a read, and everything that follows from it: which pushed filters, limit and
 * count the listing answers, how the listing becomes partitions, and how a task turns a partition
 * into rows. One subclass per value of the {@code layout} option; {@link #of} is the only place
 * that looks at that option. A layout keeps what its tasks need from the options, and is shipped to
 * them with the reader factory.
 */
abstract class ReadLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  final ObjectFetcher.Settings fetch;

  ReadLayout(ObjectFetcher.Settings fetch) {
    this.fetch = fetch;
  }

  /** The layout of a read with these options over a table of {@code tableSchema}. */
  static ReadLayout of(ReadConfig config, StructType tableSchema) {
    ReadTaskConfig options = config.tasks();
    ObjectFetcher.Settings fetch = ObjectFetcher.Settings.of(options);
    BadShardRule badShards = BadShardRule.of(options.skipCorruptShards(), options.dropMalformed());
    switch (options.layout()) {
      case OBJECTS:
        return new ObjectsLayout(fetch);
      case WEBDATASET:
        return new WebDatasetLayout(
            fetch,
            badShards,
            options.keyRule(),
            options.lowercaseExtensions(),
            options.maxMemberSize(),
            options.useIndex(),
            tableSchema);
      case MEMBERS:
        return new MembersLayout(fetch, badShards, options.maxMemberSize());
      case ZIPPED:
        return new ZippedLayout(
            fetch, options.maxMemberSize(), options.zipMismatchFails(), options.paths().toString());
      default:
        throw new IllegalStateException("Unknown layout " + options.layout());
    }
  }

  /**
   * The column whose values select samples, for pushed key filters, a join's runtime filter and
   * {@code TABLESAMPLE}; null when rows are not samples.
   */
  String sampleKeyColumn() {
    return null;
  }

  /** The layout's name, as the option spells it. */
  abstract String name();

  /**
   * Whether a row is a listed object. Then a pushed {@code LIMIT} stops the listing, {@code
   * COUNT(*)} is the listing's length and the listing gives the row count; otherwise the listing,
   * of shards, says nothing of how many rows they hold.
   */
  boolean rowsAreListedObjects() {
    return false;
  }

  /** Whether the listing applies {@code filter} exactly, so that Spark need not apply it again. */
  boolean acceptsFilter(Filter filter) {
    return false;
  }

  /**
   * The object properties to list: name, size and where each object lives (for locality), plus what
   * rows show.
   */
  String listProps(StructType readSchema) {
    return "name,size,location";
  }

  /**
   * Whether the listed objects are shards: then a shard's DALI index beside it ({@code .idx}) is
   * not listed as one.
   */
  boolean readsShards() {
    return false;
  }

  /** Whether each source path is listed, and read, on its own rather than in one listing of all. */
  boolean listsSourcesApart() {
    return false;
  }

  /** The bytes the scan outputs, for Spark's statistics. */
  long outputBytes(List<ListedObject> objects, StructType readSchema) {
    return objects.stream().mapToLong(ListedObject::size).sum();
  }

  /**
   * The partitions of the listings (one per source when {@link #listsSourcesApart}); by default the
   * objects are packed by bytes with {@code packByBytes}, which gives an object larger than {@code
   * splitBytes} a partition of its own.
   */
  InputPartition[] plan(
      List<List<ListedObject>> listings,
      long splitBytes,
      Function<List<ListedObject>, InputPartition[]> packByBytes) {
    List<ListedObject> all = new ArrayList<>();
    listings.forEach(all::addAll);
    return all.isEmpty() ? new InputPartition[0] : packByBytes.apply(all);
  }

  /** The reader, on an executor, of one partition this layout planned. */
  abstract PartitionReader<InternalRow> createReader(
      InputPartition partition, StructType readSchema);
}
