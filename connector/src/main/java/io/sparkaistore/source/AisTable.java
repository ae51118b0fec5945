package io.sparkaistore.source;

import io.sparkaistore.source.options.AisOption.Scope;
import io.sparkaistore.source.options.AisOptions;
import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.ReadConfig;
import io.sparkaistore.source.read.AisScanBuilder;
import io.sparkaistore.source.read.LayoutSchema;
import io.sparkaistore.source.write.AisWriteProvider;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The objects or shards under one or more AIS paths, as a table of the chosen layout. Spark also
 * asks for this table when a write starts, with the write's options, before it falls back to the V1
 * write ({@link AisDataSource#createRelation}): so the options are parsed as a read's only when the
 * table is read, and only a catalog table takes writes itself ({@code INSERT INTO}, {@code INSERT
 * OVERWRITE}, CTAS).
 */
final class AisTable implements SupportsRead, SupportsWrite {
  private static final Set<TableCapability> READ = Set.of(TableCapability.BATCH_READ);

  /**
   * A catalog table's writes take the query's columns, by name, not the table's read columns: a
   * write of objects takes (name, content), of webdataset __key__ and a column per extension.
   */
  private static final Set<TableCapability> READ_WRITE =
      Set.of(
          TableCapability.BATCH_READ,
          TableCapability.BATCH_WRITE,
          TableCapability.TRUNCATE,
          TableCapability.ACCEPT_ANY_SCHEMA);

  private final StructType schema;
  private final Map<String, String> tableOptions;
  private final boolean catalogTable;
  private ReadConfig config;

  /**
   * @param config {@code tableOptions} parsed already, or null
   * @param catalogTable whether the table is a catalog's, which takes writes
   */
  AisTable(
      StructType schema,
      Map<String, String> tableOptions,
      ReadConfig config,
      boolean catalogTable) {
    this.schema = schema;
    this.tableOptions = Map.copyOf(tableOptions);
    this.config = config;
    this.catalogTable = catalogTable;
  }

  private ReadConfig config() {
    if (config == null) {
      config = ReadConfig.parse(OptionValues.withSession(readOptions(tableOptions)));
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
    return catalogTable ? READ_WRITE : READ;
  }

  /**
   * The options parsed once for each query, as the session and the environment are when it runs: a
   * DataFrame loaded earlier must follow {@code spark.sql.files.ignoreMissingFiles} and the like as
   * set now, and a token file re-read.
   */
  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap readOptions) {
    Map<String, String> merged = readOptions(tableOptions);
    merged.putAll(readOptions.asCaseSensitiveMap());
    ReadConfig options = ReadConfig.parse(OptionValues.withSession(merged));
    StructType layoutSchema = layoutSchema(options);
    LayoutSchema.check(options, layoutSchema);
    return new AisScanBuilder(options, layoutSchema);
  }

  /**
   * The columns the scan reads. A table created by CTAS with a fixed-column layout has the columns
   * written, e.g. objects' (name, content): it reads the layout's columns, which Spark prunes to
   * the table's.
   */
  private StructType layoutSchema(ReadConfig options) {
    if (!catalogTable || options.layout() == AisOptions.Layout.WEBDATASET) {
      return schema;
    }
    StructType fixed = LayoutSchema.of(null, options); // a fixed layout's needs no listing
    Set<StructField> layoutColumns = new HashSet<>(List.of(fixed.asNullable().fields()));
    for (StructField column : schema.asNullable().fields()) {
      if (!layoutColumns.contains(column)) {
        return schema; // not the layout's: LayoutSchema.check names both
      }
    }
    return fixed;
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    return AisWriteProvider.tableWriteBuilder(
        name(), AisOptions.withoutScope(tableOptions, Scope.READ), info);
  }

  /** A catalog table's options serve its writes too: its reads drop the write options. */
  private Map<String, String> readOptions(Map<String, String> options) {
    return catalogTable ? AisOptions.withoutScope(options, Scope.WRITE) : new HashMap<>(options);
  }
}
