package io.sparkaistore.source.write;

import io.sparkaistore.source.options.WriteConfig;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;

/** Builds an append, or with {@link #truncate()} an overwrite of everything under the path. */
final class AisWriteBuilder implements WriteBuilder, SupportsTruncate {
  private final WriteConfig options;
  private final WriteTarget target;
  private final StructType schema;
  private final SaveMode ifFilled;
  private final PartitionDirectories partitions;
  private boolean truncate;

  /**
   * @param ifFilled for a save to a path found empty, its mode: what to do if objects appear by the
   *     commit
   */
  AisWriteBuilder(
      WriteConfig options,
      WriteTarget target,
      StructType schema,
      SaveMode ifFilled,
      PartitionDirectories partitions) {
    this.options = options;
    this.target = target;
    this.schema = schema;
    this.ifFilled = ifFilled;
    this.partitions = partitions;
  }

  @Override
  public WriteBuilder truncate() {
    truncate = true;
    return this;
  }

  @Override
  public Write build() {
    return new AisWrite(options, target, schema, truncate, ifFilled, partitions);
  }
}
