package io.sparkaistore.source.write;

import io.sparkaistore.client.ObjectNames;
import io.sparkaistore.source.metrics.WriteMetrics;
import io.sparkaistore.source.options.AisOptions.Compression;
import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.source.options.WriteConfig;
import io.sparkaistore.wds.DaliIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.distributions.Distribution;
import org.apache.spark.sql.connector.distributions.Distributions;
import org.apache.spark.sql.connector.expressions.SortOrder;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.RequiresDistributionAndOrdering;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StructType;

/** A batch write of shards or objects under one path, committed by {@link JobCommit}. */
final class AisWrite implements Write, BatchWrite, RequiresDistributionAndOrdering {
  private final WriteConfig options;
  private final WriteTarget target;
  private final StructType schema;
  private final SampleEncoder encoder;
  private final PartitionDirectories partitions;
  private final JobCommit job;
  private volatile CustomTaskMetric[] committedTotals = new CustomTaskMetric[0];

  AisWrite(
      WriteConfig options,
      WriteTarget target,
      StructType schema,
      boolean truncate,
      SaveMode ifFilled,
      PartitionDirectories partitions) {
    this.options = options;
    this.target = target;
    this.schema = schema;
    this.partitions = partitions;
    this.encoder = encoder(options, schema, partitions);
    checkPath(target, encoder != null, options.tasks().shardIndex());
    this.job = new JobCommit(options, target, truncate, ifFilled);
  }

  /**
   * The encoder of a webdataset write's samples (null for objects), once the columns are checked.
   */
  static SampleEncoder encoder(
      WriteConfig options, StructType schema, PartitionDirectories partitions) {
    if (options.layout() == Layout.WEBDATASET) {
      return SampleEncoder.forSchema(schema, options.tasks().shardIndex(), partitions.names());
    }
    if (!partitions.isEmpty()) {
      throw new IllegalArgumentException(
          "partitionBy is for layout webdataset: an objects write names each object by its row's"
              + " name column, which can hold the directories itself, e.g. concat('split=', split,"
              + " '/', name)");
    }
    ObjectDataWriter.checkSchema(schema);
    return null;
  }

  /**
   * Refuses, before any task runs, a path under which AIS would refuse or rewrite the names
   * written.
   */
  static void checkPath(WriteTarget target, boolean shards, boolean indexed) {
    String problem = ObjectNames.directoryProblem(target.prefix);
    if (problem == null && shards) {
      // The longest name a shard write publishes: a .tar shard's index, else a .tar.gz shard's.
      problem =
          ObjectNames.problem(
              indexed
                  ? DaliIndex.nameOf(target.partitionShard(0, 0, Compression.NONE.shardSuffix()))
                  : target.partitionShard(0, 0, Compression.GZIP.shardSuffix()));
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          "Cannot write to "
              + target
              + " (option 'path'): names under it would not "
              + "be kept as they are: "
              + problem);
    }
  }

  @Override
  public String description() {
    return "AisWrite["
        + target
        + ", layout="
        + options.layout().name().toLowerCase(java.util.Locale.ROOT)
        + "]";
  }

  @Override
  public Distribution requiredDistribution() {
    return Distributions.unspecified();
  }

  /** Rows by partition: a task writes one partition's shards, then the next. */
  @Override
  public SortOrder[] requiredOrdering() {
    return partitions.ordering();
  }

  @Override
  public BatchWrite toBatch() {
    return this;
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return WriteMetrics.all();
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    return new AisDataWriterFactory(target, options.tasks(), schema, encoder, partitions);
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    boolean published;
    try {
      published = job.commit(messages);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e); // the message says what the path holds now
    }
    committedTotals = totals(messages, published); // after the commit, whose own retries count
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    committedTotals = new CustomTaskMetric[0];
    try {
      job.abort(messages);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * The totals of the committed attempts, the only values of these metrics: Spark's UI adds the
   * driver's values to the tasks' last ones, so the writers report none (theirs would come before
   * their last shard is closed, and would count failed and speculative attempts). Retries are the
   * committed attempts' and the job commit's own.
   */
  // Overrides Write.reportDriverMetrics on Spark 4; Spark 3.5's Write has no such method, so its UI
  // shows no write metrics. The shared source compiles on both, hence no @Override.
  @SuppressWarnings("MissingOverride")
  public CustomTaskMetric[] reportDriverMetrics() {
    return committedTotals.clone();
  }

  /** What the write published (nothing when {@code published} is false), and every retry made. */
  private CustomTaskMetric[] totals(WriterCommitMessage[] messages, boolean published) {
    long shards = 0;
    long samples = 0;
    long bytes = 0;
    long retries = job.retries();
    for (WriterCommitMessage m : messages) {
      if (m == null) {
        continue;
      }
      retries += ((AisCommitMessage) m).retries;
      for (StagedObject o : published ? ((AisCommitMessage) m).staged : List.<StagedObject>of()) {
        shards++;
        samples += o.samples;
        bytes += o.bytes;
      }
    }
    boolean objects = encoder == null;
    return new CustomTaskMetric[] {
      WriteMetrics.value(WriteMetrics.SHARDS, objects ? 0 : shards),
      WriteMetrics.value(WriteMetrics.SAMPLES, objects ? 0 : samples),
      WriteMetrics.value(WriteMetrics.OBJECTS, objects ? shards : 0),
      WriteMetrics.value(WriteMetrics.BYTES, bytes),
      WriteMetrics.value(WriteMetrics.RETRIES, retries)
    };
  }
}
