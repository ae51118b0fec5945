package io.sparkaistore.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Counts the tasks that ended in failure, and keeps why, once Spark's listeners have seen every
 * event: a job that succeeds may still have needed Spark to run a task again, which tests of the
 * client's own resilience must rule out, and tests that fail a task on purpose must see it fail for
 * their reason. Register it with {@code addSparkListener}.
 */
public final class FailedTasks extends SparkListener {
  private final SparkSession spark;
  private final List<String> failures = new CopyOnWriteArrayList<>();

  public FailedTasks(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskInfo().failed()) {
      failures.add(
          end.reason() instanceof TaskFailedReason r
              ? r.toErrorString()
              : String.valueOf(end.reason()));
    }
  }

  public void reset() throws Exception {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    failures.clear();
  }

  public int count() throws Exception {
    return reasons().size();
  }

  /** Why each failed task failed (Spark's error string: the exception and its stack trace). */
  public List<String> reasons() throws Exception {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    return List.copyOf(failures);
  }
}
