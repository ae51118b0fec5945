package io.sparkaistore.source.read;

import io.sparkaistore.source.options.AisOptions;
import io.sparkaistore.wds.IndexedShard;
import io.sparkaistore.wds.KeyRule;
import io.sparkaistore.wds.Sample;
import io.sparkaistore.wds.SampleReader;
import io.sparkaistore.wds.SampleSource;
import io.sparkaistore.wds.WdsFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code webdataset} layout: a row per sample, the members of the shards grouped by key ({@link
 * ShardSchemas#inferWebDataset}). Extensions the query does not select are skipped in the stream,
 * and so are samples the {@link SampleSelection} does not want; a shard with a DALI index is read
 * through it when that fetches less ({@link IndexedReads}). When the schema was inferred from the
 * first shards, a later extension it lacks fails the read by name rather than being dropped.
 */
final class WebDatasetLayout extends ReadLayout {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WebDatasetLayout.class);

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
  private final boolean useIndex;
  // Null when any extension may appear (a user schema)
  private final HashSet<String> knownExtensions;

  WebDatasetLayout(
      ObjectFetcher.Settings fetch,
      BadShardRule badShards,
      KeyRule keyRule,
      boolean lowercaseExtensions,
      long maxMemberSize,
      boolean useIndex,
      StructType tableSchema) {
    super(fetch);
    // an index keys members by the WebDataset rule, and addresses the bytes an ETL would change
    this.useIndex = useIndex && keyRule == KeyRule.WEBDATASET && fetch.etl == null;
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

  /**
   * With version and checksum, which reads through an index compare with every range they fetch:
   * slices of a shard read by several tasks must all be of the shard listed.
   */
  @Override
  String listProps(StructType readSchema) {
    return super.listProps(readSchema) + ",version,checksum";
  }

  @Override
  String sampleKeyColumn() {
    return ShardSchemas.KEY;
  }

  /**
   * Shards larger than {@code splitBytes} with an index are cut into slices between samples, each
   * read by its own task; the rest are packed by bytes.
   */
  @Override
  InputPartition[] plan(
      List<List<ListedObject>> listings,
      long splitBytes,
      Function<List<ListedObject>, InputPartition[]> packByBytes) {
    List<ListedObject> parts = new ArrayList<>();
    ObjectFetcher driver = new ObjectFetcher(fetch);
    for (List<ListedObject> listing : listings) {
      for (ListedObject shard : listing) {
        if (useIndex && shard.index != null && shard.size() > splitBytes) {
          parts.addAll(slices(driver, shard, splitBytes));
        } else {
          parts.add(shard);
        }
      }
    }
    return parts.isEmpty() ? new InputPartition[0] : packByBytes.apply(parts);
  }

  /** The slices of a large shard by its index, or the whole shard when the index is unusable. */
  private List<ListedObject> slices(ObjectFetcher driver, ListedObject shard, long splitBytes) {
    try {
      byte[] index = driver.readIndex(shard);
      if (index != null) {
        IndexedShard parsed =
            IndexedShard.parse(
                shard.toString(), shard.size(), shard.indexName(), index, lowercaseExtensions);
        List<ListedObject> slices = new ArrayList<>();
        for (IndexedShard.Slice s : parsed.slices(splitBytes)) {
          slices.add(shard.slice(s.from, s.to, s.bytes));
        }
        return slices;
      }
    } catch (IOException e) {
      LOG.warn("Not splitting shard {}: {}", shard, e.getMessage());
    }
    return List.of(shard);
  }

  @Override
  PartitionReader<InternalRow> createReader(InputPartition partition, StructType readSchema) {
    ObjectPartition part = (ObjectPartition) partition;
    SampleSelection selection = part.selection();
    RowConverter<SampleRow> rows = rowConverter(readSchema);
    Set<String> selected = new HashSet<>(ShardSchemas.extensionColumns(readSchema));
    ObjectFetcher fetcher = new ObjectFetcher(fetch);
    IndexedReads indexed = new IndexedReads(fetcher, lowercaseExtensions, maxMemberSize);
    ShardCursor<InternalRow> cursor =
        new ShardCursor<>(
            part.objects(),
            fetcher,
            badShards,
            (shard, listed) ->
                new Samples(
                    new SampleReader(
                            shard, keyRule, lowercaseExtensions, selected::contains, maxMemberSize)
                        .withKeys(selection::test),
                    listed,
                    rows),
            listed -> {
              if (!readsThroughIndex(listed, selection, selected)) {
                return null;
              }
              SampleSource samples = indexed.open(listed, selection, selected::contains);
              return samples == null ? null : new Samples(samples, listed, rows);
            });
    return new ShardPartitionReader(cursor, fetcher, indexed);
  }

  /**
   * Whether to look at the shard's index: it has one, the read can use it (the WebDataset key rule,
   * no ETL), and it may save bytes (some samples or some members are not wanted, or the driver cut
   * the shard into slices).
   */
  private boolean readsThroughIndex(
      ListedObject shard, SampleSelection selection, Set<String> selected) {
    return useIndex
        && shard.index != null
        && (shard.isSlice()
            || !selection.isAll()
            || knownExtensions == null
            || selected.size() < knownExtensions.size());
  }

  /**
   * {@code __key__}, {@code __url__}; any other column takes the sample's member of that extension.
   */
  static RowConverter<SampleRow> rowConverter(StructType schema) {
    return RowConverter.of(schema, COLUMNS, extension -> r -> r.sample().get(extension));
  }

  /** The rows of one shard's samples. */
  private final class Samples implements ShardCursor.Items<InternalRow> {
    private final SampleSource samples;
    private final ListedObject shard;
    private final UTF8String url;
    private final RowConverter<SampleRow> rows;

    Samples(SampleSource samples, ListedObject shard, RowConverter<SampleRow> rows) {
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

    @Override
    public void close() throws IOException {
      samples.close();
    }
  }
}
