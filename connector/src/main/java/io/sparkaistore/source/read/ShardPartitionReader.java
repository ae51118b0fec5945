package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.source.AisOptions;
import io.sparkaistore.source.metrics.ReadMetrics;
import io.sparkaistore.wds.Sample;
import io.sparkaistore.wds.SampleReader;
import io.sparkaistore.wds.ShardMember;
import io.sparkaistore.wds.ShardReader;
import io.sparkaistore.wds.WdsFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one partition's shards into rows: a row per sample ({@code webdataset}) or per file
 * ({@code members}). A shard is parsed as it arrives, so the task holds one sample (or member), never
 * the shard; extensions the query does not select are skipped in the stream. Unreadable shards and
 * malformed samples fail the task with their names, or are skipped and counted as the options say.
 */
final class ShardPartitionReader implements PartitionReader<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(ShardPartitionReader.class);

  private final List<ListedObject> shards;
  private final AisOptions options;
  private final String[] fields; // StructType.fieldNames() builds a new array on every call
  private final boolean webdataset;
  private final Set<String> knownExtensions; // null when any extension may appear (a user schema)
  private final Set<String> selectedExtensions;
  private final boolean needsContent;
  private final AisClient client;
  private int next;
  private ListedObject shard;
  private UTF8String shardUrl;
  private ShardReader members;
  private SampleReader samples;
  private InternalRow row;
  private long shardsRead;
  private long samplesRead;
  private long skipped;
  private long missing;
  private long skippedMembers;
  private long rowsOfShard;

  ShardPartitionReader(ObjectPartition partition, AisOptions options, StructType tableSchema, StructType readSchema) {
    this.shards = partition.objects();
    this.options = options;
    this.fields = readSchema.fieldNames();
    this.webdataset = options.layout() == AisOptions.Layout.WEBDATASET;
    this.knownExtensions =
        webdataset && ShardSchemas.isInferred(tableSchema) ? new HashSet<>(ShardSchemas.extensionColumns(tableSchema)) : null;
    this.selectedExtensions = new HashSet<>(ShardSchemas.extensionColumns(readSchema));
    this.needsContent = readSchema.getFieldIndex(ShardSchemas.CONTENT).isDefined();
    this.client = AisClient.create(options.clientConfig());
  }

  @Override
  public boolean next() throws IOException {
    while (true) {
      if (members == null && !openNextShard()) {
        return false;
      }
      try {
        row = webdataset ? nextSampleRow() : nextMemberRow();
        if (row != null) {
          rowsOfShard++;
          return true;
        }
        closeShard();
      } catch (WdsFormatException e) {
        skipOrThrow(e);
      }
    }
  }

  @Override
  public InternalRow get() {
    return row;
  }

  /** Opens the next shard that can be opened; false when none is left. */
  private boolean openNextShard() throws IOException {
    while (next < shards.size()) {
      shard = shards.get(next++);
      shardUrl = UTF8String.fromString(shard.toString());
      shardsRead++;
      rowsOfShard = 0;
      InputStream in;
      try {
        in = ObjectStreams.open(client, options, shard);
      } catch (IOException e) {
        if (ObjectStreams.skipMissing(options, e)) {
          missing++;
          LOG.warn("Skipping shard {}: deleted after the query was planned (ignoreMissingFiles)", shard);
          continue;
        }
        throw e;
      }
      try {
        members = ShardReader.open(in, shard.toString(), ObjectStreams.expectedSize(options, shard));
      } catch (WdsFormatException e) {
        skipOrThrow(e);
        continue;
      }
      if (webdataset) {
        samples = new SampleReader(members, options.keyRule(), options.lowercaseExtensions(),
            selectedExtensions::contains, options.maxMemberSize());
      }
      return true;
    }
    return false;
  }

  private InternalRow nextSampleRow() throws IOException {
    Sample sample = samples.next();
    if (sample == null) {
      return null;
    }
    if (knownExtensions != null) {
      for (String ext : sample.extensions()) {
        if (!knownExtensions.contains(ext)) {
          throw WdsFormatException.malformed(shard.toString(), sample.key() + "." + ext, "extension '" + ext
              + "' is not among the columns inferred from the first shards " + knownExtensions + "; give the schema "
              + "with .schema(...), or set option '" + AisOptions.SCHEMA_SAMPLE_SHARDS + "' to 0 to infer from all");
        }
      }
    }
    samplesRead++;
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      switch (fields[i]) {
        case ShardSchemas.KEY -> values[i] = UTF8String.fromString(sample.key());
        case ShardSchemas.URL -> values[i] = shardUrl;
        default -> values[i] = sample.get(fields[i]);
      }
    }
    return new GenericInternalRow(values);
  }

  private InternalRow nextMemberRow() throws IOException {
    ShardMember member = members.next();
    if (member == null) {
      return null;
    }
    byte[] content = needsContent ? member.readContent(options.maxMemberSize(), shard.toString()) : null;
    long size = content != null ? content.length
        : member.size() >= 0 ? member.size() : member.content().transferTo(java.io.OutputStream.nullOutputStream());
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      switch (fields[i]) {
        case ShardSchemas.SHARD -> values[i] = shardUrl;
        case ShardSchemas.PATH -> values[i] = UTF8String.fromString(member.name());
        case ShardSchemas.SIZE -> values[i] = size;
        default -> values[i] = content;
      }
    }
    return new GenericInternalRow(values);
  }

  /**
   * Skips a bad shard or sample when the options allow it; fails the task otherwise. Corruption found
   * after rows of the shard were returned (a gzip or zip check at the end of the stream, a cut
   * member) fails the task in every mode: those rows are already on their way, and a skipped shard
   * must contribute none.
   */
  private void skipOrThrow(WdsFormatException e) throws IOException {
    if (e.isCorruptShard() && rowsOfShard > 0) {
      throw new IOException(e.getMessage() + ". Found after " + rowsOfShard + " row(s) of this shard were returned, "
          + "so the read fails in every mode rather than keep rows of a corrupt shard; repair or remove the object.", e);
    }
    boolean skip = e.isCorruptShard() ? options.skipCorruptShards() : options.dropMalformed();
    if (!skip) {
      throw new IOException(e.getMessage() + (e.isCorruptShard()
          ? ". Set option '" + AisOptions.IGNORE_CORRUPT_FILES + "' (or mode DROPMALFORMED) to skip such objects."
          : ". Set option '" + AisOptions.MODE + "' to DROPMALFORMED to skip such samples."), e);
    }
    skipped++;
    LOG.warn("Skipping: {}", e.getMessage());
    if (e.isCorruptShard()) {
      closeShard();
    }
  }

  private void closeShard() throws IOException {
    if (members != null) {
      skippedMembers += openShardSkippedMembers();
      members.close();
    }
    members = null;
    samples = null;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return ReadMetrics.withClientStats(client.stats(),
        ReadMetrics.value(ReadMetrics.SHARDS, shardsRead),
        ReadMetrics.value(ReadMetrics.SAMPLES, samplesRead),
        ReadMetrics.value(ReadMetrics.SKIPPED, skipped),
        ReadMetrics.value(ReadMetrics.MISSING, missing),
        ReadMetrics.value(ReadMetrics.SKIPPED_MEMBERS, skippedMembers + openShardSkippedMembers()));
  }

  private long openShardSkippedMembers() {
    return samples != null ? samples.skippedMembers() : members != null ? members.skippedEntries() : 0;
  }

  @Override
  public void close() throws IOException {
    closeShard();
  }
}
