package io.sparkaistore.source.write;

import io.sparkaistore.source.AisOptions;
import io.sparkaistore.source.metrics.WriteMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StructType;

/** A batch write of shards or objects under one path, committed by {@link JobCommit}. */
final class AisWrite implements Write, BatchWrite {
  private final AisOptions options;
  private final WriteTarget target;
  private final StructType schema;
  private final SampleEncoder encoder;
  private final JobCommit job;

  AisWrite(AisOptions options, WriteTarget target, StructType schema, boolean truncate) {
    this.options = options;
    this.target = target;
    this.schema = schema;
    if (options.layout() == AisOptions.Layout.WEBDATASET) {
      this.encoder = SampleEncoder.forSchema(schema);
    } else {
      ObjectDataWriter.checkSchema(schema);
      this.encoder = null;
    }
    this.job = new JobCommit(options, target, truncate);
  }

  @Override
  public String description() {
    return "AisWrite[" + target + ", layout=" + options.layout().name().toLowerCase(java.util.Locale.ROOT) + "]";
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
    return new AisDataWriterFactory(target, options, schema, encoder);
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    try {
      job.commit(messages);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot commit the write to " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    job.abort();
  }
}
