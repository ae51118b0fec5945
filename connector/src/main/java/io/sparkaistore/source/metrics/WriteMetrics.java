package io.sparkaistore.source.metrics;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The write metrics of the Spark UI's SQL tab: the committed totals, reported by the driver after
 * the commit.
 */
public final class WriteMetrics {
  public static final String SHARDS = "aisShardsWritten";
  public static final String SAMPLES = "aisSamplesWritten";
  public static final String OBJECTS = "aisObjectsWritten";
  public static final String BYTES = "aisBytesWritten";

  /** The read side's name: retries are retries, whichever way the bytes go. */
  public static final String RETRIES = ReadMetrics.RETRIES;

  private WriteMetrics() {}

  /** A value of one metric. */
  public static CustomTaskMetric value(String name, long value) {
    return ReadMetrics.value(name, value);
  }

  public static CustomMetric[] all() {
    return new CustomMetric[] {
      new Shards(), new Samples(), new Objects(), new Bytes(), new Retries()
    };
  }

  public static final class Shards extends Sum {
    public Shards() {
      super(SHARDS, "AIS shards written");
    }
  }

  public static final class Samples extends Sum {
    public Samples() {
      super(SAMPLES, "WebDataset samples written");
    }
  }

  public static final class Objects extends Sum {
    public Objects() {
      super(OBJECTS, "AIS objects written");
    }
  }

  public static final class Bytes extends Sum {
    public Bytes() {
      super(BYTES, "AIS bytes written");
    }
  }

  public static final class Retries extends Sum {
    public Retries() {
      super(RETRIES, "AIS retries (tasks and job commit)");
    }
  }
}
