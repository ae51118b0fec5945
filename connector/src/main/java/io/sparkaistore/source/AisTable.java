package io.sparkaistore.source;

import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.ReadConfig;
import io.sparkaistore.source.read.AisScanBuilder;
import io.sparkaistore.source.read.LayoutSchema;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The objects or shards under one or more AIS paths, as a table of the chosen layout. Spark also
 * asks for this table when a write starts, with the write's options, before it falls back to the V1
 * write ({@link AisDataSource#createRelation}): so the options are parsed as a read's only when the
 * table is read.
 */
final class AisTable implements SupportsRead {
  private final StructType schema;
  private final Map<String, String> tableOptions;
  private ReadConfig config;

  /**
   * @param config {@code tableOptions} parsed already, or null
   */
  AisTable(StructType schema, Map<String, String> tableOptions, ReadConfig config) {
    this.schema = schema;
    this.tableOptions = Map.copyOf(tableOptions);
    this.config = config;
  }

  private ReadConfig config() {
    if (config == null) {
      config = ReadConfig.parse(OptionValues.withSession(tableOptions));
    }
    return config;
  }

  @Override
  public String name() {
    return "ais:" + config().paths();
  }

  // Spark deprecates schema() for columns(), yet its default columns() is the one conversion from
  // schema() (comments, defaults, metadata); a table overrides one of the two, and this one has a
  // StructType.
  @SuppressWarnings("deprecation")
  @Override
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  /**
   * The options parsed once for each query, as the session and the environment are when it runs: a
   * DataFrame loaded earlier must follow {@code spark.sql.files.ignoreMissingFiles} and the like as
   * set now, and a token file re-read.
   */
  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap readOptions) {
    Map<String, String> merged = new HashMap<>(tableOptions);
    merged.putAll(readOptions.asCaseSensitiveMap());
    ReadConfig options = ReadConfig.parse(OptionValues.withSession(merged));
    LayoutSchema.check(options, schema);
    return new AisScanBuilder(options, schema);
  }
}
