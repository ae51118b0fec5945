package io.sparkaistore.source;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.source.read.ObjectSchema;
import io.sparkaistore.source.read.ShardSchemas;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.Provider;
import io.sparkaistore.source.write.AisWriteProvider;
import io.sparkaistore.source.write.WriteTarget;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.sources.BaseRelation;
import org.apache.spark.sql.sources.CreatableRelationProvider;
import scala.jdk.javaapi.CollectionConverters;
import org.apache.spark.sql.connector.catalog.SessionConfigSupport;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code ais} data source: {@code spark.read.format("ais").load("ais://bucket/prefix")}. Options are
 * listed in {@link AisOptions}; each can also be set for the session as
 * {@code spark.datasource.ais.<option>}.
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

  @Override
  public String shortName() {
    return "ais";
  }

  @Override
  public String keyPrefix() {
    return "ais";
  }

  /**
   * Validates the options and checks every bucket exists, so mistakes surface at {@code load()}, then
   * gives the layout's schema; for {@code webdataset}, inferred from AIS's listing of shard members.
   */
  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    AisOptions parsed = parseOptions(withSessionOptions(userOptions(options.asCaseSensitiveMap())));
    AisClient client = AisClient.create(parsed.clientConfig());
    for (AisPath path : parsed.paths()) {
      requireBucket(client, path, "read");
    }
    if (parsed.layout() != AisOptions.Layout.WEBDATASET) {
      return fixedSchema(parsed);
    }
    try {
      return ShardSchemas.inferWebDataset(client, parsed);
    } catch (AisException e) {
      throw new UncheckedIOException("Cannot infer the webdataset columns of " + parsed.paths() + ": "
          + e.getMessage(), e);
    }
  }

  /** Accepts a user schema (webdataset reads) and the written DataFrame's schema (writes). */
  @Override
  public boolean supportsExternalMetadata() {
    return true;
  }

  private static StructType fixedSchema(AisOptions options) {
    return switch (options.layout()) {
      case OBJECTS -> ObjectSchema.SCHEMA;
      case MEMBERS -> ShardSchemas.MEMBERS;
      case ZIPPED -> ShardSchemas.zipped(options.paths().size());
      default ->
          throw new IllegalStateException(
              "the " + options.layout() + " layout has no fixed schema");
    };
  }

  private static void requireBucket(AisClient client, AisPath path, String verb) {
    AisBucket bucket = path.bucket();
    try {
      if (!client.bucketExists(bucket)) {
        throw new IllegalArgumentException(
            "Cannot " + verb + " " + path + ": bucket " + bucket + " does not exist at " + client.config().endpoint());
      }
    } catch (AisException e) {
      throw new UncheckedIOException("Cannot " + verb + " " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The table of a read, or of a catalog table ({@code CREATE TABLE ... USING ais}). Spark merges the
   * session's {@code spark.datasource.ais.*} settings into a DataFrame read's options, but not into a
   * catalog table's, so they are merged here (the table's own options win).
   */
  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new AisTable(schema, withSessionOptions(userOptions(properties)));
  }

  /** A user schema is for the webdataset layout (its extension columns); the others have fixed columns. */
  static void checkReadSchema(AisOptions options, StructType schema) {
    if (options.layout() == AisOptions.Layout.WEBDATASET) {
      ShardSchemas.validateWebDataset(schema);
    } else if (!schema.equals(fixedSchema(options))) {
      throw new IllegalArgumentException("The " + options.layout().name().toLowerCase(java.util.Locale.ROOT)
          + " layout has fixed columns " + fixedSchema(options).simpleString() + "; a schema can be given only "
          + "with layout webdataset (got " + schema.simpleString() + ")");
    }
  }

  /**
   * {@code df.write.format("ais").mode(m).save("ais://bucket/path/")}. The path is a directory: it is
   * "there" when any object is under it. errorifexists (the default) refuses such a path, ignore leaves
   * it alone, append adds to it, overwrite replaces everything under it; the write itself is the
   * transactional DataSource V2 write of {@link AisWriteProvider}.
   */
  @Override
  public BaseRelation createRelation(
      SQLContext sqlContext, SaveMode mode, scala.collection.immutable.Map<String, String> parameters,
      Dataset<Row> data) {
    Map<String, String> options = withSessionOptions(CollectionConverters.asJava(parameters));
    AisOptions parsed = parseOptions(options);
    if (parsed.layout() != AisOptions.Layout.OBJECTS && parsed.layout() != AisOptions.Layout.WEBDATASET) {
      throw new IllegalArgumentException("Layout " + parsed.layout().name().toLowerCase(java.util.Locale.ROOT)
          + " can be read but not written; write with layout webdataset or objects");
    }
    if (parsed.paths().size() != 1) {
      throw new IllegalArgumentException("A write goes to one path; got " + parsed.paths());
    }
    AisPath path = parsed.paths().get(0);
    if (path.bucket().provider() != Provider.AIS) {
      throw new IllegalArgumentException("Cannot write to " + path + ": writes need an ais:// bucket (the commit "
          + "renames objects into place, which AIS does within its own buckets only)");
    }
    AisClient client = AisClient.create(parsed.clientConfig());
    requireBucket(client, path, "write to");
    boolean exists = holdsObjects(client, path);
    if (exists && mode == SaveMode.ErrorIfExists) {
      throw new IllegalStateException("Cannot write to " + path + ": objects already exist under it (save mode "
          + "errorifexists, Spark's default). Use mode(\"append\") to add to them, mode(\"overwrite\") to replace "
          + "them, or mode(\"ignore\").");
    }
    if (!(exists && mode == SaveMode.Ignore)) {
      DataFrameWriter<Row> write = data.write().format(AisWriteProvider.class.getName()).options(options)
          .mode(mode == SaveMode.Overwrite ? SaveMode.Overwrite : SaveMode.Append);
      if (mode == SaveMode.ErrorIfExists || mode == SaveMode.Ignore) {
        write.option(AisWriteProvider.SAVE_MODE_ON_EMPTY_PATH, mode.name()); // checked again under the commit lock
      }
      write.save();
    }
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

  /**
   * Options over the session's {@code spark.datasource.ais.*} settings: Spark applies those to
   * DataFrame reads, but hands a V1 write and a catalog table only their own options.
   */
  private static Map<String, String> withSessionOptions(Map<String, String> options) {
    String prefix = "spark.datasource.ais.";
    Map<String, String> merged = new HashMap<>();
    CollectionConverters.asJava(SQLConf.get().getAllConfs()).forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        merged.put(key.substring(prefix.length()), value);
      }
    });
    merged.putAll(options);
    return merged;
  }

  /** Whether anything is under the path as a directory, besides other writes' staging areas. */
  private static boolean holdsObjects(AisClient client, AisPath path) {
    String directory = WriteTarget.directory(path);
    try {
      AisClient.ObjectLister pages = client.lister(path.bucket(), ListOptions.prefix(directory));
      while (pages.hasNextPage()) {
        if (pages.nextPage().stream().anyMatch(e -> !WriteTarget.isStaging(directory, e.name()))) {
          return true;
        }
      }
      return false;
    } catch (AisException e) {
      throw new UncheckedIOException("Cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * The user's options among a table's properties. For a catalog table ({@code CREATE TABLE ... USING
   * ais OPTIONS (...)}) Spark passes its own properties (location, owner, provider, ...) with the
   * options, which it prefixes with {@code option.}.
   */
  static Map<String, String> userOptions(Map<String, String> properties) {
    Map<String, String> options = new HashMap<>();
    properties.forEach((key, value) -> {
      if (key.startsWith(TableCatalog.OPTION_PREFIX)) {
        options.put(key.substring(TableCatalog.OPTION_PREFIX.length()), value);
      } else if (!TABLE_PROPERTIES.contains(key)) {
        options.put(key, value);
      }
    });
    return options;
  }

  /** Parses and validates options, with this session's defaults. */
  public static AisOptions parseOptions(Map<String, String> options) {
    SparkSession spark = SparkSession.active();
    return AisOptions.parse(
        options,
        new AisOptions.SessionDefaults(
            spark.sparkContext().defaultParallelism(),
            SQLConf.get().ignoreMissingFiles(),
            SQLConf.get().ignoreCorruptFiles()));
  }
}
