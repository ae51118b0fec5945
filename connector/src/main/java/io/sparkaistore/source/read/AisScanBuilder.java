package io.sparkaistore.source.read;

import io.sparkaistore.source.options.ReadConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownTableSample;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/**
 * Collects what Spark pushes into a read; the read's {@link ReadLayout} says what it takes. Columns
 * are pruned in every layout (unselected extensions and content are skipped in the stream); the
 * rest applies where rows are listed objects (the {@code objects} layout):
 *
 * <ul>
 *   <li>columns: without {@code content} no object is fetched;
 *   <li>filters the layout accepts (on {@code bucket}, {@code name} and {@code size}): applied
 *       exactly to the listing (a name prefix narrows what AIS lists), so they are not returned to
 *       Spark; all others are;
 *   <li>{@code LIMIT}: the listing stops once enough objects matched (Spark still applies it too);
 *   <li>{@code COUNT(*)} without grouping: answered from the listing, with no task at all.
 * </ul>
 *
 * <p>In the webdataset layout, filters on partition columns also prune the listed shards ({@link
 * PartitionPruning}); they are returned to Spark all the same.
 */
public final class AisScanBuilder
    implements ScanBuilder,
        SupportsPushDownRequiredColumns,
        SupportsPushDownFilters,
        SupportsPushDownLimit,
        SupportsPushDownAggregates,
        SupportsPushDownTableSample {
  private final ReadConfig options;
  private final ReadLayout layout;
  private final PartitionPruning partitions;
  private StructType readSchema;
  private Filter[] pushed = new Filter[0];
  private List<Filter> listingFilters = List.of();
  private SampleSelection selection = SampleSelection.ALL;
  private int limit = Integer.MAX_VALUE;
  private boolean countOnly;

  public AisScanBuilder(ReadConfig options, StructType tableSchema) {
    this.options = options;
    this.partitions = PartitionPruning.of(options, tableSchema);
    this.layout = ReadLayout.of(options, partitions.layoutSchema(tableSchema));
    this.readSchema = tableSchema;
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    readSchema = requiredSchema;
  }

  /**
   * Filters the layout applies to the listing are not returned; filters on the samples' keys narrow
   * the samples read and are returned, for Spark to apply again.
   */
  @Override
  public Filter[] pushFilters(Filter[] filters) {
    List<Filter> listing = new ArrayList<>();
    List<Filter> handled = new ArrayList<>();
    List<Filter> rest = new ArrayList<>();
    for (Filter f : filters) {
      if (layout.acceptsFilter(f)) {
        listing.add(f);
        handled.add(f);
        continue;
      }
      rest.add(f);
      SampleSelection keys =
          layout.sampleKeyColumn() == null ? null : SampleSelection.of(f, layout.sampleKeyColumn());
      if (keys != null) {
        selection = selection.and(keys);
        handled.add(f);
      }
    }
    listingFilters = listing;
    pushed = handled.toArray(new Filter[0]);
    partitions.push(filters);
    return rest.toArray(new Filter[0]);
  }

  /**
   * A sample without replacement draws samples by a hash of their key and the seed, so the same
   * seed draws the same samples; shards read through their index fetch only those. (Spark 4.2
   * deprecates this form for one naming the sample method, whose default sends Bernoulli samples
   * here; the source is shared with Spark 3.5, which has only this one.)
   */
  @Override
  @SuppressWarnings("deprecation")
  public boolean pushTableSample(
      double lowerBound, double upperBound, boolean withReplacement, long seed) {
    if (layout.sampleKeyColumn() == null || withReplacement) {
      return false;
    }
    selection = selection.and(SampleSelection.sampled(lowerBound, upperBound, seed));
    return true;
  }

  @Override
  public Filter[] pushedFilters() {
    return pushed.clone();
  }

  @Override
  public boolean pushLimit(int n) {
    if (!layout.rowsAreListedObjects()) {
      return false; // a limit on samples or members says nothing about how many shards to list
    }
    limit = n;
    return true;
  }

  @Override
  public boolean isPartiallyPushed() {
    return true;
  }

  @Override
  public boolean supportCompletePushDown(Aggregation aggregation) {
    return layout.rowsAreListedObjects() && isCountStar(aggregation);
  }

  @Override
  public boolean pushAggregation(Aggregation aggregation) {
    countOnly = layout.rowsAreListedObjects() && isCountStar(aggregation);
    return countOnly;
  }

  private static boolean isCountStar(Aggregation aggregation) {
    AggregateFunc[] functions = aggregation.aggregateExpressions();
    return aggregation.groupByExpressions().length == 0
        && functions.length == 1
        && Arrays.stream(functions).allMatch(f -> f instanceof CountStar);
  }

  @Override
  public Scan build() {
    ObjectFilters filters = new ObjectFilters(listingFilters);
    if (countOnly) {
      // Counting needs no column: the listing then asks AIS for names and sizes only.
      return new AisCountScan(
          new AisScan(options, layout, new StructType(), filters, limit, selection, partitions));
    }
    return new AisScan(options, layout, readSchema, filters, limit, selection, partitions);
  }
}
