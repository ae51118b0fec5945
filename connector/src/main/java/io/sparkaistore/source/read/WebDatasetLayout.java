package io.sparkaistore.source.read;

import io.sparkaistore.source.options.AisOptions;
import io.sparkaistore.wds.KeyRule;
import io.sparkaistore.wds.Sample;
import io.sparkaistore.wds.SampleReader;
import io.sparkaistore.wds.WdsFormatException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The {@code webdataset} layout: a row per sample, the members of the shards grouped by key ({@link
 * ShardSchemas#inferWebDataset}). Extensions the query does not select are skipped in the stream.
 * When the schema was inferred from the first shards, a later extension it lacks fails the read by
 * name rather than being dropped.
 */
final class WebDatasetLayout extends ReadLayout {
  private static final long serialVersionUID = 1L;

  /** What a sample's row is made of. */
  static final class SampleRow {
    private final UTF8String url;
    private final Sample sample;

    SampleRow(UTF8String url, Sample sample) {
      this.url = url;
      this.sample = sample;
    }

    UTF8String url() {
      return url;
    }

    Sample sample() {
      return sample;
    }
  }

  private static final Map<String, Function<SampleRow, Object>> COLUMNS =
      Map.of(
          ShardSchemas.KEY,
          r -> UTF8String.fromString(r.sample().key()),
          ShardSchemas.URL,
          SampleRow::url);

  private final BadShardRule badShards;
  private final KeyRule keyRule;
  private final boolean lowercaseExtensions;
  private final long maxMemberSize;
  // Null when any extension may appear (a user schema)
  private final HashSet<String> knownExtensions;

  WebDatasetLayout(
      ObjectFetcher.Settings fetch,
      BadShardRule badShards,
      KeyRule keyRule,
      boolean lowercaseExtensions,
      long maxMemberSize,
      StructType tableSchema) {
    super(fetch);
    this.badShards = badShards;
    this.keyRule = keyRule;
    this.lowercaseExtensions = lowercaseExtensions;
    this.maxMemberSize = maxMemberSize;
    this.knownExtensions =
        ShardSchemas.isInferred(tableSchema)
            ? new HashSet<>(ShardSchemas.extensionColumns(tableSchema))
            : null;
  }

  @Override
  String name() {
    return "webdataset";
  }

  @Override
  boolean readsShards() {
    return true;
  }

  @Override
  PartitionReader<InternalRow> createReader(InputPartition partition, StructType readSchema) {
    RowConverter<SampleRow> rows = rowConverter(readSchema);
    Set<String> selected = new HashSet<>(ShardSchemas.extensionColumns(readSchema));
    ObjectFetcher fetcher = new ObjectFetcher(fetch);
    ShardCursor<InternalRow> cursor =
        new ShardCursor<>(
            ((ObjectPartition) partition).objects(),
            fetcher,
            badShards,
            (shard, listed) ->
                new Samples(
                    new SampleReader(
                        shard, keyRule, lowercaseExtensions, selected::contains, maxMemberSize),
                    listed,
                    rows));
    return new ShardPartitionReader(cursor, fetcher, true);
  }

  /**
   * {@code __key__}, {@code __url__}; any other column takes the sample's member of that extension.
   */
  static RowConverter<SampleRow> rowConverter(StructType schema) {
    return RowConverter.of(schema, COLUMNS, extension -> r -> r.sample().get(extension));
  }

  /** The rows of one shard's samples. */
  private final class Samples implements ShardCursor.Items<InternalRow> {
    private final SampleReader samples;
    private final ListedObject shard;
    private final UTF8String url;
    private final RowConverter<SampleRow> rows;

    Samples(SampleReader samples, ListedObject shard, RowConverter<SampleRow> rows) {
      this.samples = samples;
      this.shard = shard;
      this.url = UTF8String.fromString(shard.toString());
      this.rows = rows;
    }

    @Override
    public InternalRow next() throws IOException {
      Sample sample = samples.next();
      if (sample == null) {
        return null;
      }
      if (knownExtensions != null) {
        for (String ext : sample.extensions()) {
          if (!knownExtensions.contains(ext)) {
            throw WdsFormatException.malformed(
                shard.toString(),
                sample.key() + "." + ext,
                "extension '"
                    + ext
                    + "' is not among the columns inferred from the first shards "
                    + knownExtensions
                    + "; give the "
                    + "schema with .schema(...), or set option '"
                    + AisOptions.SCHEMA_SAMPLE_SHARDS
                    + "' to 0 to infer "
                    + "from all");
          }
        }
      }
      return rows.toRow(new SampleRow(url, sample));
    }

    @Override
    public long skippedMembers() {
      return samples.skippedMembers();
    }
  }
}
