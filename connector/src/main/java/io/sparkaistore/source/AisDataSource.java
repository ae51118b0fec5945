package io.sparkaistore.source;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.client.PathPattern;
import io.sparkaistore.source.options.AisOption.Scope;
import io.sparkaistore.source.options.AisOptions;
import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.ReadConfig;
import io.sparkaistore.source.read.LayoutSchema;
import io.sparkaistore.source.write.AisSave;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.connector.catalog.SessionConfigSupport;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code ais} data source: {@code spark.read.format("ais").load("ais://bucket/prefix")}.
 * Options are listed in {@link io.sparkaistore.source.options.AisOptions}; each can also be set for
 * the session as {@code spark.datasource.ais.<option>}.
 */
public final class AisDataSource
    implements TableProvider, DataSourceRegister, SessionConfigSupport, CreatableRelationProvider {
  private static final Set<String> TABLE_PROPERTIES =
      Set.of(
          TableCatalog.PROP_LOCATION,
          TableCatalog.PROP_OWNER,
          TableCatalog.PROP_PROVIDER,
          TableCatalog.PROP_COMMENT,
          TableCatalog.PROP_EXTERNAL,
          TableCatalog.PROP_IS_MANAGED_LOCATION);

  /** Where Spark puts a V1 save's {@code partitionBy} columns, as a JSON array. */
  private static final String PARTITION_COLUMNS = "__partition_columns";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Map<String, String> parsedOptions;
  private ReadConfig parsed;

  @Override
  public String shortName() {
    return "ais";
  }

  @Override
  public String keyPrefix() {
    return "ais";
  }

  /**
   * Validates the options and checks every bucket exists, so mistakes surface at {@code load()},
   * then gives the layout's schema; for {@code webdataset}, inferred from AIS's listing of shard
   * members.
   */
  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    Map<String, String> given = userOptions(options.asCaseSensitiveMap());
    if (isCatalogTable(options.asCaseSensitiveMap())) { // its options serve its writes too
      given = AisOptions.withoutScope(given, Scope.WRITE);
    }
    ReadConfig parsed = readConfig(given);
    AisClient client = AisClient.create(parsed.clientConfig());
    for (AisPath path : parsed.paths()) {
      client.requireBucket(path, "read");
    }
    return LayoutSchema.of(client, parsed);
  }

  /** Accepts a user schema (webdataset reads) and the written DataFrame's schema (writes). */
  @Override
  public boolean supportsExternalMetadata() {
    return true;
  }

  /**
   * The table of a read, or of a catalog table ({@code CREATE TABLE ... USING ais}). Spark merges
   * the session's {@code spark.datasource.ais.*} settings into a DataFrame read's options, but not
   * into a catalog table's, so they are merged here (the table's own options win). Only a catalog
   * table takes writes ({@code INSERT}, CTAS): a DataFrame save asks for this table too, and must
   * find it unwritable to take the V1 path, where its save modes are settled.
   */
  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    Map<String, String> options = userOptions(properties);
    if (partitioning.length > 0 && isCatalogTable(properties)) {
      throw new IllegalArgumentException(
          "An ais table cannot be PARTITIONED BY: write partitioned webdataset shards with"
              + " df.write.partitionBy(...).format(\"ais\"), and read them with spark.read or a"
              + " table without PARTITIONED BY, which finds the partition columns itself");
    }
    return new AisTable(
        schema, options, options.equals(parsedOptions) ? parsed : null, isCatalogTable(properties));
  }

  /**
   * Whether Spark's catalog gives these properties: it adds its own (provider, location, ...) and
   * prefixes the options with {@code option.}; a DataFrame read or save gives the options alone.
   */
  private static boolean isCatalogTable(Map<String, String> properties) {
    return properties.keySet().stream()
        .anyMatch(k -> k.startsWith(TableCatalog.OPTION_PREFIX) || TABLE_PROPERTIES.contains(k));
  }

  /**
   * The options parsed once per read: Spark asks one instance for the schema, then for the table,
   * with the same options, and the table takes them from here.
   */
  private ReadConfig readConfig(Map<String, String> options) {
    if (!options.equals(parsedOptions)) {
      parsed = ReadConfig.parse(OptionValues.withSession(options));
      parsedOptions = new HashMap<>(options);
    }
    return parsed;
  }

  /** A save: {@link AisSave} settles the save mode and runs the write. */
  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext,
      SaveMode mode,
      scala.collection.immutable.Map<String, String> parameters,
      Dataset<Row> data) {
    Map<String, String> options = OptionValues.fromScala(parameters);
    AisSave.run(mode, options, partitionBy(options.remove(PARTITION_COLUMNS)), data);
    StructType schema = data.schema();
    return new BaseRelation() {
      @Override
      public SQLContext sqlContext() {
        return sqlContext;
      }

      @Override
      public StructType schema() {
        return schema;
      }
    };
  }

  private static List<String> partitionBy(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read Spark's partitionBy columns " + json, e);
    }
  }

  /**
   * The user's options among a table's properties. For a catalog table ({@code CREATE TABLE ...
   * USING ais OPTIONS (...)}) Spark passes its own properties (location, owner, provider, ...) with
   * the options, which it prefixes with {@code option.}.
   */
  static Map<String, String> userOptions(Map<String, String> properties) {
    Map<String, String> options = new HashMap<>();
    properties.forEach(
        (key, value) -> {
          if (key.startsWith(TableCatalog.OPTION_PREFIX)) {
            options.put(key.substring(TableCatalog.OPTION_PREFIX.length()), value);
          } else if (!TABLE_PROPERTIES.contains(key)) {
            options.put(key, value);
          }
        });
    if (isCatalogTable(properties)) {
      options.computeIfPresent(AisOptions.PATH.name(), (key, path) -> asDirectory(path));
    }
    return options;
  }

  /**
   * A catalog table's path is a directory, as its writes take it. Spark keeps the path as the
   * table's location, which drops a trailing slash: read as a prefix, {@code ais://b/cat} would
   * also return the objects of {@code ais://b/cat-2/}. A pattern is left as written.
   */
  static String asDirectory(String path) {
    return path.endsWith("/") || PathPattern.parse(path).hasWildcards() ? path : path + "/";
  }
}
