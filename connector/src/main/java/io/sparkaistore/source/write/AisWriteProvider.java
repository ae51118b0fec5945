package io.sparkaistore.source.write;

import io.sparkaistore.source.options.AisOptions.Layout;
import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.WriteConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
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

  private static final PartitionDirectories NONE =
      PartitionDirectories.of(new StructType(), List.of());

  /**
   * The write of a catalog table ({@code INSERT INTO}, {@code INSERT OVERWRITE}, {@code CREATE
   * TABLE ... AS SELECT}): the transactional write of a save, with the table's options, as an
   * append or (truncated) an overwrite. The written columns are the query's, by name; wrong ones
   * fail here, before any task runs, naming the table and the columns its layout takes.
   *
   * @param table the table's name in messages
   * @param tableOptions the table's options, read options dropped
   */
  public static WriteBuilder tableWriteBuilder(
      String table, Map<String, String> tableOptions, LogicalWriteInfo info) {
    Map<String, String> merged = new HashMap<>(tableOptions);
    merged.putAll(info.options().asCaseSensitiveMap());
    WriteConfig parsed = WriteConfig.parse(OptionValues.withSession(merged));
    try {
      AisWrite.encoder(parsed, info.schema(), NONE);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot write to table "
              + table
              + " (layout "
              + parsed.layout().name().toLowerCase(Locale.ROOT)
              + ", path "
              + parsed.path()
              + "): "
              + e.getMessage()
              + ". "
              + takenColumns(parsed.layout()),
          e);
    }
    return new AisWriteBuilder(
        parsed, new WriteTarget(parsed.path(), info.queryId()), info.schema(), null, NONE);
  }

  /** What a layout's write takes, for SQL users: columns by name, not the table's read columns. */
  private static String takenColumns(Layout layout) {
    return layout == Layout.WEBDATASET
        ? "The table takes the columns __key__ STRING and one column per member extension (e.g."
            + " jpg BINARY, cls STRING), by name: INSERT INTO t SELECT k AS __key__, img AS jpg"
            + " FROM ..."
        : "The table takes the columns name STRING and content BINARY or STRING, by name: INSERT"
            + " INTO t SELECT n AS name, c AS content FROM ...";
  }

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
    return new AisWriteTable(schema, properties, partitioning);
  }
}
