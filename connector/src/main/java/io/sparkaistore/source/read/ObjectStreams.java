package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.source.AisOptions;
import java.io.IOException;
import java.io.InputStream;

/** How every reader fetches a listed object, and what it says when that fails. */
final class ObjectStreams {
  private ObjectStreams() {}

  /**
   * The object's bytes: through the inline ETL when one is set, with parallel range requests when it
   * is large, else with one GET. The listing says which target holds it, so that a 404 from another
   * target, while that one is away, is waited out rather than taken for a deleted object.
   */
  static InputStream open(AisClient client, AisOptions options, ListedObject object) throws IOException {
    try {
      if (options.etl() != null) {
        return client.get(object.bucket, object.name(), options.etl());
      }
      if (object.size() >= options.parallelReadThreshold()) {
        return client.getParallel(object.bucket, object.entry, options.parallelReadThreads(),
            options.parallelReadChunkSize());
      }
      if (object.size() == 0) {
        return InputStream.nullInputStream();
      }
      return client.get(object.bucket, object.entry);
    } catch (AisException e) {
      throw explain(options, object, e);
    }
  }

  /** The number of bytes {@link #open} will return, or -1 when an ETL transforms them. */
  static long expectedSize(AisOptions options, ListedObject object) {
    return options.etl() != null ? -1 : object.size();
  }

  /** Whether {@code e} says the object is gone and the options say to skip such objects. */
  static boolean skipMissing(AisOptions options, IOException e) {
    return options.ignoreMissingFiles() && isVanished(e);
  }

  private static boolean isVanished(IOException e) {
    return e instanceof AisException aisException && aisException.isNotFound();
  }

  /** Adds what the user can do to AIS's answer where there is something to do. */
  static IOException explain(AisOptions options, ListedObject object, AisException e) {
    if (e.isNotFound()) {
      if (options.ignoreMissingFiles()) {
        return e; // the caller skips it
      }
      return new IOException(
          "Object " + object + " was listed when the query was planned but no longer exists. Set option '"
              + AisOptions.IGNORE_MISSING_FILES + "' (or spark.sql.files.ignoreMissingFiles) to true to skip "
              + "objects deleted during a read.", e);
    }
    if (e.status() == 501 && options.etl() != null) {
      return new IOException("The AIS cluster cannot run ETL '" + options.etl().name() + "' for " + object
          + " (ETL needs an AIS build with ETL support, on Kubernetes): " + e.aisMessage(), e);
    }
    return e;
  }
}
