package io.sparkaistore.source.write;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The DataSource V2 write behind {@code df.write.format("ais")}. Spark sends the plain save modes
 * (errorifexists, ignore) of a path-based V2 source nowhere, so the {@code ais} source takes every
 * save as a V1 write: {@link AisSave} settles the save mode against what the path holds, and runs
 * this provider as an append or a truncating overwrite: the transactional DSv2 commit protocol with
 * its UI metrics. Internal: not registered under a short name.
 */
public final class AisWriteProvider implements TableProvider {
  /**
   * Set by the {@code ais} source for {@code errorifexists} and {@code ignore} saves to a path
   * found empty: the job commit checks again under its lock, since another write may have committed
   * since. Not a user option.
   */
  static final String SAVE_MODE_ON_EMPTY_PATH = "spark-aistore.internal.saveModeOnEmptyPath";

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return new StructType(); // never used: the schema is the written DataFrame's
  }

  @Override
  public boolean supportsExternalMetadata() {
    return true;
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new AisWriteTable(schema, properties);
  }
}
