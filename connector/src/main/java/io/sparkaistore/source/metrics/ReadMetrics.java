package io.sparkaistore.source.metrics;

import io.sparkaistore.client.ClientStats;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The read metrics shown in the Spark UI's SQL tab, summed over tasks. Spark instantiates each
 * metric class by name on the driver, hence one small public class per metric.
 */
public final class ReadMetrics {
  public static final String OBJECTS = "aisObjects";
  public static final String BYTES = "aisBytes";
  public static final String REQUESTS = "aisRequests";
  public static final String RETRIES = "aisRetries";
  public static final String FETCH_TIME = "aisFetchTimeMs";
  public static final String MISSING = "aisMissingObjects";
  public static final String SHARDS = "aisShards";
  public static final String SAMPLES = "aisSamples";
  public static final String SKIPPED = "aisSkipped";
  public static final String SKIPPED_MEMBERS = "aisSkippedMembers";
  public static final String ZIP_TRUNCATED = "aisZipTruncated";
  public static final String INDEXED_SHARDS = "aisIndexedShards";
  public static final String BYTES_SKIPPED = "aisBytesSkipped";

  private ReadMetrics() {}

  /** Every read metric, for {@code Scan.supportedCustomMetrics()}. */
  public static CustomMetric[] all() {
    return new CustomMetric[] {
      new Objects(),
      new Bytes(),
      new Requests(),
      new Retries(),
      new FetchTime(),
      new Missing(),
      new Shards(),
      new Samples(),
      new Skipped(),
      new SkippedMembers(),
      new ZipTruncated(),
      new IndexedShards(),
      new BytesSkipped()
    };
  }

  /**
   * The task's values of the metrics every reader reports from its client (bytes, requests,
   * retries, fetch time), followed by its own.
   */
  public static CustomTaskMetric[] withClientStats(ClientStats stats, CustomTaskMetric... own) {
    CustomTaskMetric[] all = java.util.Arrays.copyOf(own, own.length + 4);
    all[own.length] = value(BYTES, stats.bytesRead());
    all[own.length + 1] = value(REQUESTS, stats.requests());
    all[own.length + 2] = value(RETRIES, stats.retries());
    all[own.length + 3] = value(FETCH_TIME, stats.fetchNanos() / 1_000_000);
    return all;
  }

  /** A task's value of one metric. */
  public static CustomTaskMetric value(String name, long value) {
    return new CustomTaskMetric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long value() {
        return value;
      }
    };
  }

  public static final class Objects extends Sum {
    public Objects() {
      super(OBJECTS, "AIS objects read");
    }
  }

  public static final class Bytes extends Sum {
    public Bytes() {
      super(BYTES, "AIS bytes read");
    }
  }

  public static final class Requests extends Sum {
    public Requests() {
      super(REQUESTS, "AIS HTTP requests (tasks)");
    }
  }

  public static final class Retries extends Sum {
    public Retries() {
      super(RETRIES, "AIS retries and resumed reads");
    }
  }

  public static final class FetchTime extends Sum {
    public FetchTime() {
      super(FETCH_TIME, "AIS fetch time (ms)");
    }
  }

  public static final class Missing extends Sum {
    public Missing() {
      super(MISSING, "AIS objects missing at read time (skipped)");
    }
  }

  public static final class Shards extends Sum {
    public Shards() {
      super(SHARDS, "AIS shards read");
    }
  }

  public static final class Samples extends Sum {
    public Samples() {
      super(SAMPLES, "WebDataset samples read");
    }
  }

  public static final class Skipped extends Sum {
    public Skipped() {
      super(SKIPPED, "malformed samples and unreadable shards skipped");
    }
  }

  public static final class SkippedMembers extends Sum {
    public SkippedMembers() {
      super(SKIPPED_MEMBERS, "shard members in no sample (links, hidden files, no extension)");
    }
  }

  public static final class ZipTruncated extends Sum {
    public ZipTruncated() {
      super(ZIP_TRUNCATED, "zipped sources cut to the shortest");
    }
  }

  public static final class IndexedShards extends Sum {
    public IndexedShards() {
      super(INDEXED_SHARDS, "shards read through their DALI index");
    }
  }

  public static final class BytesSkipped extends Sum {
    public BytesSkipped() {
      super(BYTES_SKIPPED, "AIS shard bytes not fetched thanks to indexes");
    }
  }
}
