package io.sparkaistore.it;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the tasks that ended in failure, once Spark's listeners have seen every event: a job that
 * succeeds may still have needed Spark to run a task again, which tests of the client's own
 * resilience must rule out. Register it with {@code addSparkListener}.
 */
public final class FailedTasks extends SparkListener {
  private final SparkSession spark;
  private final AtomicInteger failed = new AtomicInteger();

  public FailedTasks(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskInfo().failed()) {
      failed.incrementAndGet();
    }
  }

  public void reset() throws Exception {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    failed.set(0);
  }

  public int count() throws Exception {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    return failed.get();
  }
}
