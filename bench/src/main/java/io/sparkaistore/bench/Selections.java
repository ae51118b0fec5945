package io.sparkaistore.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Selections of the samples of indexed webdataset shards ({@code spark-write} gives each its DALI
 * index): every sample, keys chosen at random, a seeded sample, two small columns; each read
 * through the indexes and with {@code useIndex=false}. All cases run in one JVM, in passes over
 * every case: untimed warm-up passes, then timed ones, so that every case is timed at the same
 * steady state and the load of a shared machine falls on both variants alike.
 *
 * <p>Each query counts the rows and adds up a hash of every selected column. A case whose rows are
 * not the ones expected, or whose answer differs from the other variant's or from an earlier pass,
 * fails the run: a fast answer that is wrong is never reported.
 */
final class Selections {
  private static final String[] METRICS = {
    "aisBytes", "aisBytesSkipped", "aisIndexedShards", "aisRequests"
  };

  private Selections() {}

  /** A selection of the samples; {@code rows} is -1 when not known up front. */
  private record Selection(String name, long rows, UnaryOperator<Dataset<Row>> select) {}

  /** A selection read through the indexes or not. */
  private record Case(Selection selection, boolean useIndex) {
    String name() {
      return useIndex ? selection.name() : selection.name() + ", useIndex=false";
    }

    Dataset<Row> query(SparkSession spark, Map<String, String> a) {
      return selection
          .select()
          .apply(SparkCases.reader(spark, a).option("useIndex", useIndex).load(a.get("path")));
    }
  }

  /** The rows of one query, the checksum of their content, and its scan's metrics. */
  private record Answer(long rows, String checksum, Map<String, Long> metrics) {
    boolean sameRows(Answer other) {
      return rows == other.rows && checksum.equals(other.checksum);
    }

    @Override
    public String toString() {
      return rows + " rows (checksum " + checksum + ")";
    }
  }

  /**
   * Runs every case over {@code path} (of {@code samples} samples; keys and the sample drawn by
   * {@code seed}) in {@code warmups} untimed passes, then {@code runs} timed ones, printing a line
   * per case and timed pass; returns {bytes fetched from AIS, rows} of the timed passes.
   */
  static long[] read(Map<String, String> a) throws Exception {
    SparkSession spark = SparkCases.spark(a);
    List<Case> cases = cases(a);
    int warmups = Integer.parseInt(a.get("warmups"));
    int runs = Integer.parseInt(a.get("runs"));
    Map<String, Answer> answers = new HashMap<>();
    long bytes = 0;
    long rows = 0;
    for (int pass = -warmups; pass < runs; pass++) {
      for (Case c : cases) {
        Timing.Timed<Answer> timed = Timing.time(() -> run(c.query(spark, a)));
        Answer answer = timed.result();
        check(c, answer, answers.putIfAbsent(c.selection().name(), answer));
        if (pass >= 0) {
          System.out.println(line(c, timed, pass));
          bytes += answer.metrics().getOrDefault("aisBytes", 0L);
          rows += answer.rows();
        }
      }
    }
    return new long[] {bytes, rows};
  }

  /** Each selection through the indexes, then without: both variants see about the same load. */
  private static List<Case> cases(Map<String, String> a) {
    long samples = Long.parseLong(a.get("samples"));
    long seed = Long.parseLong(a.get("seed"));
    List<Selection> selections = new ArrayList<>();
    selections.add(new Selection("full scan", samples, df -> df));
    for (double fraction : new double[] {0.001, 0.01, 0.1}) {
      List<String> keys = keys(samples, fraction, seed);
      selections.add(
          new Selection(
              String.format("__key__ IN %s%% (%d keys)", percent(fraction), keys.size()),
              keys.size(),
              df -> df.where(col("__key__").isin(keys.toArray()))));
    }
    selections.add(new Selection("sample(0.01, seed)", -1, df -> df.sample(0.01, seed)));
    selections.add(
        new Selection("select __key__, cls", samples, df -> df.select("__key__", "cls")));
    List<Case> cases = new ArrayList<>();
    for (Selection selection : selections) {
      cases.add(new Case(selection, true));
      cases.add(new Case(selection, false));
    }
    return cases;
  }

  private static String percent(double fraction) {
    return BigDecimal.valueOf(fraction * 100).stripTrailingZeros().toPlainString();
  }

  /** A fraction of the keys {@code spark-write} gave its samples, chosen at random by the seed. */
  private static List<String> keys(long samples, double fraction, long seed) {
    List<Long> ids = new ArrayList<>();
    for (long i = 0; i < samples; i++) {
      ids.add(i);
    }
    Collections.shuffle(ids, new Random(seed));
    List<String> keys = new ArrayList<>();
    for (long id : ids.subList(0, (int) Math.max(1, Math.round(samples * fraction)))) {
      keys.add(String.format(SparkCases.KEY_FORMAT, id));
    }
    return keys;
  }

  /**
   * Runs the query on a fresh Dataset: a plan executed twice would add both runs up in its metrics.
   * The hash sum is a decimal, which no number of rows overflows.
   */
  private static Answer run(Dataset<Row> selected) {
    List<Column> columns = new ArrayList<>();
    for (String name : selected.columns()) {
      columns.add(col("`" + name + "`"));
    }
    Dataset<Row> totals =
        selected.agg(
            count(lit(1)),
            sum(xxhash64(columns.toArray(new Column[0])).cast("decimal(20,0)")).cast("string"));
    Row row = totals.collectAsList().get(0);
    return new Answer(
        row.getLong(0), row.getString(1), scanMetrics(totals.queryExecution().executedPlan()));
  }

  /** The rows expected, and the same answer as every read of the same selection before. */
  private static void check(Case c, Answer answer, Answer earlier) {
    long expected = c.selection().rows();
    if (expected < 0 ? answer.rows() == 0 : answer.rows() != expected) {
      throw new IllegalStateException(
          c.name() + ": " + answer + ", expected " + (expected < 0 ? "some" : expected) + " rows");
    }
    if (earlier != null && !answer.sameRows(earlier)) {
      throw new IllegalStateException(
          c.name() + ": " + answer + ", not the " + earlier + " of the same selection before");
    }
  }

  /** What bench.py reads: the case's name last, as it holds spaces. */
  private static String line(Case c, Timing.Timed<Answer> timed, int pass) {
    StringBuilder line = new StringBuilder("CASE run=" + pass);
    line.append(" seconds=").append(timed.seconds()).append(" cpu=").append(timed.cpuSeconds());
    line.append(" rows=").append(timed.result().rows());
    line.append(" checksum=").append(timed.result().checksum());
    for (String metric : METRICS) {
      line.append(' ').append(metric).append('=');
      line.append(timed.result().metrics().getOrDefault(metric, 0L));
    }
    return line.append(" name=").append(c.name()).toString();
  }

  /** The ais scan's metrics, looked for inside adaptive plans and their query stages too. */
  private static Map<String, Long> scanMetrics(SparkPlan plan) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      return scanMetrics(adaptive.executedPlan());
    }
    if (plan instanceof QueryStageExec stage) {
      return scanMetrics(stage.plan());
    }
    Map<String, Long> out = new HashMap<>();
    if (plan instanceof BatchScanExec) {
      CollectionConverters.asJava(plan.metrics()).forEach((k, m) -> out.put(k, m.value()));
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      scanMetrics(child).forEach((k, v) -> out.merge(k, v, Long::sum));
    }
    return out;
  }
}
