package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.AisNode;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.client.ClusterMap;
import io.sparkaistore.source.metrics.ReadMetrics;
import io.sparkaistore.source.options.ReadConfig;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.connector.read.SupportsRuntimeV2Filtering;
import org.apache.spark.sql.types.StructType;

/**
 * A batch read: lists the sources once on the driver (memoised, so statistics and planning share
 * it) and lets the read's {@link ReadLayout} plan partitions, by default the objects, or shards,
 * packed by bytes with a preferred host each.
 */
final class AisScan implements Scan, Batch, SupportsReportStatistics, SupportsRuntimeV2Filtering {
  private final ReadConfig options;
  private final ReadLayout layout;
  private final StructType readSchema;
  private final ObjectFilters filters;
  private final int limit;
  private SampleSelection selection;
  private final PartitionPruning partitions;
  private List<List<ListedObject>> listings;

  AisScan(
      ReadConfig options,
      ReadLayout layout,
      StructType readSchema,
      ObjectFilters filters,
      int limit,
      SampleSelection selection,
      PartitionPruning partitions) {
    this.options = options;
    this.layout = layout;
    this.readSchema = readSchema;
    this.filters = filters;
    this.limit = limit;
    this.selection = selection;
    this.partitions = partitions;
  }

  /** Every object to read, each once. */
  List<ListedObject> listing() {
    List<ListedObject> all = new java.util.ArrayList<>();
    listings().forEach(all::addAll);
    return all;
  }

  /**
   * One listing for all sources (an object under two overlapping paths is read once), or one per
   * source when the layout reads them apart (zipped: there the sources are separate streams).
   */
  private synchronized List<List<ListedObject>> listings() {
    if (listings == null) {
      AisClient client = AisClient.create(options.clientConfig());
      String props = layout.listProps(partitions.layoutSchema(readSchema));
      ObjectFilters filters = partitions.narrow(this.filters, PartitionDiscovery.bases(options));
      try {
        listings = new java.util.ArrayList<>();
        if (layout.listsSourcesApart()) {
          for (AisPath path : options.paths()) {
            listings.add(
                SourceListing.list(
                    client,
                    List.of(path),
                    layout.readsShards(),
                    filters,
                    props,
                    options.listPageSize(),
                    limit));
          }
        } else {
          listings.add(
              SourceListing.list(
                  client,
                  options.paths(),
                  layout.readsShards(),
                  filters,
                  props,
                  options.listPageSize(),
                  limit));
        }
      } catch (AisException e) {
        throw new UncheckedIOException("Cannot list " + options.paths() + ": " + e.getMessage(), e);
      }
      listings.replaceAll(partitions::prune);
    }
    return listings;
  }

  @Override
  public StructType readSchema() {
    return readSchema;
  }

  @Override
  public String description() {
    return "AisScan[paths="
        + options.paths()
        + ", layout="
        + layout.name()
        + ", pushedFilters="
        + filters.filters()
        + (limit == Integer.MAX_VALUE ? "" : ", limit=" + limit)
        + (selection.isAll() ? "" : ", samples=" + selection)
        + "]";
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    List<ListedObject> all = listing();
    long splitBytes =
        PartitionPlanner.maxSplitBytes(
            all.stream().mapToLong(ListedObject::size).sum(),
            all.size(),
            options.maxPartitionBytes(),
            options.openCostInBytes(),
            options.minPartitions());
    return layout.plan(listings(), splitBytes, this::packByBytes);
  }

  private InputPartition[] packByBytes(List<ListedObject> objects) {
    Map<String, String> hostOfTarget = targetHosts();
    SampleSelection wanted = selection;
    return PartitionPlanner.plan(
            objects,
            ListedObject::planBytes,
            options.maxPartitionBytes(),
            options.openCostInBytes(),
            options.minPartitions())
        .stream()
        .map(part -> new ObjectPartition(part, preferredHosts(part, hostOfTarget), wanted))
        .toArray(InputPartition[]::new);
  }

  /**
   * {@code __key__} when the rows are samples and the query reads it: a join on it then narrows the
   * samples to the keys of the other side (Spark's dynamic pruning, which needs a filter on that
   * side and a broadcast join).
   */
  @Override
  public NamedReference[] filterAttributes() {
    String key = layout.sampleKeyColumn();
    return key != null && readSchema.getFieldIndex(key).isDefined()
        ? new NamedReference[] {Expressions.column(key)}
        : new NamedReference[0];
  }

  @Override
  public void filter(Predicate[] predicates) {
    for (Predicate p : predicates) {
      SampleSelection keys = SampleSelection.of(p, layout.sampleKeyColumn());
      if (keys != null) {
        selection = selection.and(keys);
      }
    }
  }

  private Map<String, String> targetHosts() {
    try {
      ClusterMap smap = AisClient.create(options.clientConfig()).clusterMap();
      return smap.targets().stream().collect(Collectors.toMap(AisNode::id, AisNode::host));
    } catch (AisException e) {
      return Map.of(); // locality is an optimisation; a cluster map we cannot read only costs it
    }
  }

  /** The host of the target holding most of the partition's bytes, when the listing said where. */
  private static String[] preferredHosts(
      List<ListedObject> part, Map<String, String> hostOfTarget) {
    Map<String, Long> bytesByHost = new HashMap<>();
    for (ListedObject o : part) {
      String host = hostOfTarget.get(o.entry.targetId());
      if (host != null) {
        bytesByHost.merge(host, o.size() + 1, Long::sum);
      }
    }
    return bytesByHost.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(e -> new String[] {e.getKey()})
        .orElse(new String[0]);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new AisReaderFactory(layout, readSchema, partitions.scheme());
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return ReadMetrics.all();
  }

  @Override
  public Statistics estimateStatistics() {
    List<ListedObject> objects = listing();
    boolean objectRows = layout.rowsAreListedObjects();
    long bytes = layout.outputBytes(objects, partitions.layoutSchema(readSchema));
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return OptionalLong.of(bytes);
      }

      @Override
      public OptionalLong numRows() {
        // Rows are objects only in the objects layout; samples and members are not counted by a
        // listing.
        return objectRows ? OptionalLong.of(objects.size()) : OptionalLong.empty();
      }
    };
  }
}
