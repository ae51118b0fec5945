package io.sparkaistore.source.write;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.source.options.OptionValues;
import io.sparkaistore.source.options.WriteConfig;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.internal.SQLConf;

/**
 * {@code df.write.format("ais").mode(m).save("ais://bucket/path/")}. The path is a directory: it is
 * "there" when any object is under it. errorifexists (the default) refuses such a path, ignore
 * leaves it alone, append adds to it, overwrite replaces everything under it; the write itself is
 * the transactional DataSource V2 write of {@link AisWriteProvider}. A webdataset write may be
 * partitioned ({@code partitionBy}): its shards go under {@code col=value/} directories.
 */
public final class AisSave {
  /** What a save does, by its mode and whether the path holds objects. */
  enum Action {
    FAIL,
    SKIP,
    APPEND,
    OVERWRITE;

    static Action of(SaveMode mode, boolean holdsObjects) {
      switch (mode) {
        case Overwrite:
          return OVERWRITE;
        case Append:
          return APPEND;
        case ErrorIfExists:
          return holdsObjects ? FAIL : APPEND;
        case Ignore:
          return holdsObjects ? SKIP : APPEND;
        default:
          throw new IllegalArgumentException("Unknown save mode " + mode);
      }
    }
  }

  private static final String PARTITION_OVERWRITE_MODE = "spark.sql.sources.partitionOverwriteMode";

  private AisSave() {}

  /**
   * The mode the job commit checks again, under its lock, for a save that found the path empty
   * (another write may have committed since), or null when the mode does not depend on it.
   */
  static SaveMode checkedAtCommit(SaveMode mode) {
    return mode == SaveMode.ErrorIfExists || mode == SaveMode.Ignore ? mode : null;
  }

  /**
   * Settles the save mode against what the path holds, then runs the write (if any) with {@code
   * options}.
   */
  public static void run(
      SaveMode mode, Map<String, String> options, List<String> partitionBy, Dataset<Row> data) {
    WriteConfig config = WriteConfig.parse(OptionValues.withSession(options));
    if (!partitionBy.isEmpty() && mode == SaveMode.Overwrite && dynamicOverwrite()) {
      throw new IllegalArgumentException(
          "Cannot overwrite "
              + config.path()
              + " partition by partition: spark.sql.sources.partitionOverwriteMode is dynamic, which"
              + " the ais source does not support. An overwrite replaces everything under the path;"
              + " set spark.sql.sources.partitionOverwriteMode to static for that, or write each"
              + " partition to its own directory (ais://bucket/out/split=train/) without"
              + " partitionBy.");
    }
    AisClient client = AisClient.create(config.clientConfig());
    client.requireBucket(config.path(), "write to");
    Action action = Action.of(mode, holdsObjects(client, config));
    if (action == Action.FAIL) {
      throw new IllegalStateException(
          "Cannot write to "
              + config.path()
              + ": objects already exist under it (save "
              + "mode errorifexists, Spark's default). Use mode(\"append\") to add to them, mode(\"overwrite\") to "
              + "replace them, or mode(\"ignore\").");
    }
    if (action == Action.SKIP) {
      return;
    }
    DataFrameWriter<Row> write =
        data.write()
            .format(AisWriteProvider.class.getName())
            .options(options)
            .mode(action == Action.OVERWRITE ? SaveMode.Overwrite : SaveMode.Append)
            .partitionBy(partitionBy.toArray(new String[0]));
    SaveMode atCommit = checkedAtCommit(mode);
    if (atCommit != null) {
      write.option(AisWriteProvider.SAVE_MODE_ON_EMPTY_PATH, atCommit.name());
    }
    write.save();
  }

  private static boolean dynamicOverwrite() {
    return "dynamic"
        .equalsIgnoreCase(SQLConf.get().getConfString(PARTITION_OVERWRITE_MODE, "static"));
  }

  private static boolean holdsObjects(AisClient client, WriteConfig config) {
    try {
      return PathListing.holdsObjects(
          client, config.path().bucket(), WriteTarget.directory(config.path()));
    } catch (AisException e) {
      throw new UncheckedIOException("Cannot list " + config.path() + ": " + e.getMessage(), e);
    }
  }
}
