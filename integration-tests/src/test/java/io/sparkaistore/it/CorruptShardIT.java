package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.it.ShardMutants.Kind;
import io.sparkaistore.it.ShardMutants.Shard;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads that never lie: corrupt tar, tar.gz and zip shards ({@link ShardMutants}) read in every
 * mode and in the webdataset and members layouts, checked against the members they were made from
 * and against what Python's tarfile and zipfile make of the same bytes (fetched from AIS). Python
 * is a reference, not an oracle: it is lenient in places (tarfile stops quietly at a bad header and
 * ignores gzip's CRC; zipfile ignores the local headers' sizes), so nothing here asks for equality
 * with it. What is asked:
 *
 * <ul>
 *   <li>no byte returned differs from the original member of that name; for plain tar, whose data
 *       carries no checksum, the bytes equal what tarfile returns for that member;
 *   <li>no sample comes back with members missing, and no member twice;
 *   <li>a read that completes, without skipping the shard, returned every member Python returned
 *       intact;
 *   <li>a corruption the format's own checks reveal never reads as a clean shard: the task fails
 *       naming the shard, or (in a skip mode) the shard is skipped and counted;
 *   <li>a shard reported as skipped ({@code aisSkipped}) contributed no row;
 *   <li>a failure names the shard ({@code ais://bucket/name}); intact shards never fail.
 * </ul>
 *
 * Each shard is read alone (a one-task job per shard, mode and layout, so that the metrics and the
 * failure are that shard's), and all of them at once per skip mode, as a job over a dataset would
 * be.
 */
class CorruptShardIT {
  private static final long SEED = 0x5EED_2026L;
  private static final String WDS_SCHEMA =
      "__key__ STRING, __url__ STRING, cls BINARY, txt BINARY, bin BINARY";
  private static final List<String> EXTENSIONS = List.of("cls", "txt", "bin");
  // Task failures are the point here: Spark's per-attempt stack traces would bury the report.
  private static final List<String> QUIET_LOGGERS =
      List.of(
          "org.apache.spark.executor.Executor",
          "org.apache.spark.scheduler.TaskSetManager",
          "org.apache.spark.scheduler.TaskSchedulerImpl",
          "io.sparkaistore.source.read");
  private static final Map<String, Level> loggerLevels = new HashMap<>();
  private static AisClient client;
  private static AisBucket bucket;
  private static List<Shard> shards;
  private static final Map<String, PyRead> python = new HashMap<>();

  enum Mode {
    FAILFAST(Map.of()),
    DROPMALFORMED(Map.of("mode", "DROPMALFORMED")),
    IGNORE_CORRUPT_FILES(Map.of("ignoreCorruptFiles", "true"));

    // Map.of is immutable, which the checker cannot tell from the declared type.
    @SuppressWarnings("ImmutableEnumChecker")
    final Map<String, String> options;

    Mode(Map<String, String> options) {
      this.options = options;
    }
  }

  /** A member as Python read it: its digest, or the error reading it. */
  record PyMember(String name, String sha256, String error) {}

  /**
   * Python's reading of one object: its regular files in order, and the error that stopped it (or
   * null).
   */
  record PyRead(List<PyMember> members, String error) {
    PyMember member(String name) {
      return members.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }
  }

  /** What a read returned: members by shard, the samples (webdataset), and the outcome. */
  static final class Result {
    final Map<String, List<Map.Entry<String, byte[]>>> members = new TreeMap<>();
    final Map<String, List<Map.Entry<String, Set<String>>>> samples = new TreeMap<>();
    final List<String> problems = new ArrayList<>(); // row shapes that are wrong on their own
    String failure;
    long skipped;
  }

  @BeforeAll
  static void putShardsAndReadThemWithPython() throws Exception {
    QUIET_LOGGERS.forEach(
        name -> {
          loggerLevels.put(name, LogManager.getLogger(name).getLevel());
          Configurator.setLevel(name, Level.OFF);
        });
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "corrupt-shards");
    shards = ShardMutants.build(SEED);
    List<String> args =
        new ArrayList<>(
            List.of(
                PythonEnv.script("shard_truth.py"),
                "read",
                AisTestCluster.endpoint().toString(),
                bucket.name()));
    for (Shard s : shards) {
      client.put(bucket, s.name(), s.bytes());
      args.add(s.name());
    }
    ObjectMapper json = new ObjectMapper();
    for (String line : PythonEnv.run(args).split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode read = json.readTree(line);
      List<PyMember> members = new ArrayList<>();
      read.path("members")
          .forEach(
              m ->
                  members.add(
                      new PyMember(
                          m.path("name").asText(),
                          m.hasNonNull("sha256") ? m.get("sha256").asText() : null,
                          m.hasNonNull("error") ? m.get("error").asText() : null)));
      python.put(
          read.path("object").asText(),
          new PyRead(members, read.hasNonNull("error") ? read.get("error").asText() : null));
    }
    assertEquals(shards.size(), python.size(), "Python read every object");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
    loggerLevels.forEach(Configurator::setLevel);
  }

  static Stream<Arguments> modesAndLayouts() {
    return Stream.of(Mode.values())
        .flatMap(m -> Stream.of(Arguments.of(m, "webdataset"), Arguments.of(m, "members")));
  }

  static Stream<Arguments> skipModesAndLayouts() {
    return modesAndLayouts().filter(a -> a.get()[0] != Mode.FAILFAST);
  }

  /**
   * The reference itself: Python reads the intact shards whole, and the set holds 30-60 mutants of
   * each format.
   */
  @Test
  void pythonReadsTheIntactShardsWholeAndTheMutantsCoverEveryFormat() {
    for (Shard s : shards) {
      if (s.intact()) {
        PyRead read = python.get(s.name());
        assertNull(read.error(), s.name());
        Map<String, String> digests = new LinkedHashMap<>();
        read.members().forEach(m -> digests.put(m.name(), m.sha256()));
        Map<String, String> expected = new LinkedHashMap<>();
        s.original().forEach((name, bytes) -> expected.put(name, sha256(bytes)));
        assertEquals(expected, digests, s.name());
      }
    }
    long mutants = shards.stream().filter(s -> !s.intact()).count();
    assertTrue(mutants >= 30 && mutants <= 60, mutants + " mutants");
    for (Kind kind : Kind.values()) {
      assertTrue(
          shards.stream().filter(s -> !s.intact() && s.kind() == kind).count() >= 5,
          kind.toString());
    }
  }

  @ParameterizedTest(name = "{1} layout, {0}")
  @MethodSource("modesAndLayouts")
  void eachShardReadAloneNeverLies(Mode mode, String layout) {
    List<String> lies = new ArrayList<>();
    for (Shard s : shards) {
      Result r = collect(() -> reader(mode, layout).load(path(s.name())), layout);
      String where = s.name() + ": ";
      r.problems.forEach(p -> lies.add(where + p));
      if (r.failure != null) {
        if (!r.failure.contains(path(s.name()))) {
          lies.add(where + "the failure does not name the shard: " + brief(r.failure));
        }
        if (s.intact()) {
          lies.add(where + "an intact shard failed: " + brief(r.failure));
        }
        continue;
      }
      List<Map.Entry<String, byte[]>> got = r.members.getOrDefault(path(s.name()), List.of());
      r.members.keySet().stream()
          .filter(url -> !url.equals(path(s.name())))
          .forEach(url -> lies.add(where + "rows name another shard: " + url));
      if (mode == Mode.FAILFAST && r.skipped > 0) {
        lies.add(where + "FAILFAST skipped " + r.skipped + " item(s) instead of failing");
      }
      // The mutants break archive integrity, never the sample rules alone: any skip here is the
      // shard's.
      if (r.skipped > 0 && !got.isEmpty()) {
        lies.add(
            where
                + "reported as skipped (aisSkipped="
                + r.skipped
                + ") yet returned "
                + got.size()
                + " member(s): "
                + names(got));
      }
      if (r.skipped == 0 && got.isEmpty()) {
        lies.add(where + "read as an empty shard: no row, no error, no skip");
      }
      if (r.skipped == 0 && s.detectable() && !got.isEmpty()) {
        lies.add(where + "a corruption the format reveals read as a clean shard: " + names(got));
      }
      checkMembers(s, got, r.samples.getOrDefault(path(s.name()), List.of()), lies);
      if (r.skipped == 0) {
        checkComplete(s, got, lies);
      }
    }
    assertTrue(
        lies.isEmpty(),
        lies.size()
            + " lie(s) in "
            + layout
            + " layout, "
            + mode
            + ":\n"
            + String.join("\n", lies));
  }

  /**
   * One job over every shard, as a dataset read would be: only true rows, or a failure that names a
   * shard.
   */
  @ParameterizedTest(name = "{1} layout, {0}")
  @MethodSource("skipModesAndLayouts")
  void prefixOfAllShardsGivesOnlyTrueRowsOrFailsNamingAShard(Mode mode, String layout) {
    Result r = collect(() -> reader(mode, layout).load(path("m/")), layout);
    List<String> lies = new ArrayList<>(r.problems);
    if (r.failure != null) {
      assertTrue(
          shards.stream().anyMatch(s -> r.failure.contains(path(s.name()))),
          "the failure names no shard: " + brief(r.failure));
      return;
    }
    Map<String, Shard> byUrl = new HashMap<>();
    shards.forEach(s -> byUrl.put(path(s.name()), s));
    r.members.keySet().stream()
        .filter(url -> !byUrl.containsKey(url))
        .forEach(url -> lies.add("rows of unknown " + url));
    int withoutRows = 0;
    for (Shard s : shards) {
      List<Map.Entry<String, byte[]>> got = r.members.getOrDefault(path(s.name()), List.of());
      if (got.isEmpty()) {
        withoutRows++;
        if (s.intact()) {
          lies.add(s.name() + ": an intact shard gave no rows");
        }
        continue;
      }
      if (s.detectable()) {
        lies.add(s.name() + ": a corruption the format reveals gave rows: " + names(got));
      }
      checkMembers(s, got, r.samples.getOrDefault(path(s.name()), List.of()), lies);
      checkComplete(s, got, lies); // a shard that gave rows was not skipped, so it was read whole
    }
    // Every shard holds members: one without rows was skipped, and counted.
    if (r.skipped < withoutRows) {
      lies.add(withoutRows + " shard(s) gave no rows but aisSkipped is " + r.skipped);
    }
    assertTrue(
        lies.isEmpty(),
        lies.size()
            + " lie(s) reading all shards in "
            + layout
            + " layout, "
            + mode
            + ":\n"
            + String.join("\n", lies));
  }

  /**
   * Bytes as the reference has them, no member twice, and (webdataset) samples with all their
   * members.
   */
  private void checkMembers(
      Shard s,
      List<Map.Entry<String, byte[]>> got,
      List<Map.Entry<String, Set<String>>> samples,
      List<String> lies) {
    PyRead py = python.get(s.name());
    Set<String> seen = new TreeSet<>();
    for (Map.Entry<String, byte[]> m : got) {
      String name = m.getKey();
      if (!seen.add(name)) {
        lies.add(s.name() + ": member '" + printable(name) + "' returned twice");
      }
      if (s.kind() == Kind.TAR) {
        PyMember pm = py.member(name);
        if (pm == null || pm.sha256() == null) {
          lies.add(
              s.name()
                  + ": returned '"
                  + printable(name)
                  + "', which Python's tarfile "
                  + (pm == null ? "did not find" : "could not read: " + pm.error()));
        } else if (!pm.sha256().equals(sha256(m.getValue()))) {
          lies.add(
              s.name()
                  + ": the bytes of '"
                  + printable(name)
                  + "' differ from what tarfile reads there");
        }
      } else {
        byte[] original = s.original().get(name);
        if (original == null) {
          lies.add(
              s.name()
                  + ": returned '"
                  + printable(name)
                  + "', a member the shard was not made with");
        } else if (!Arrays.equals(original, m.getValue())) {
          lies.add(
              s.name()
                  + ": the bytes of '"
                  + printable(name)
                  + "' differ from the original ("
                  + m.getValue().length
                  + " vs "
                  + original.length
                  + " bytes)");
        }
      }
    }
    for (Map.Entry<String, Set<String>> sample : samples) {
      Set<String> expected = new TreeSet<>();
      for (String name : referenceNames(s)) {
        int dot = name.indexOf('.');
        if (dot > 0 && name.substring(0, dot).equals(sample.getKey())) {
          expected.add(name.substring(dot + 1));
        }
      }
      if (!expected.equals(sample.getValue())) {
        lies.add(
            s.name()
                + ": sample '"
                + printable(sample.getKey())
                + "' came back with "
                + sample.getValue()
                + ", the shard holds "
                + expected);
      }
    }
  }

  /**
   * The members a sample is made of: what tarfile read for plain tar, else what the shard was made
   * with.
   */
  private List<String> referenceNames(Shard s) {
    if (s.kind() != Kind.TAR) {
      return new ArrayList<>(s.original().keySet());
    }
    return python.get(s.name()).members().stream()
        .filter(m -> m.sha256() != null)
        .map(PyMember::name)
        .toList();
  }

  /** A shard read without error or skip gave every member Python read intact. */
  private void checkComplete(Shard s, List<Map.Entry<String, byte[]>> got, List<String> lies) {
    Set<String> returned = new TreeSet<>();
    got.forEach(m -> returned.add(m.getKey()));
    List<String> missing = new ArrayList<>();
    for (PyMember pm : python.get(s.name()).members()) {
      byte[] original = s.original().get(pm.name());
      boolean intact =
          pm.sha256() != null && original != null && pm.sha256().equals(sha256(original));
      if (intact && !returned.contains(pm.name())) {
        missing.add(pm.name());
      }
    }
    if (!missing.isEmpty()) {
      lies.add(
          s.name()
              + ": read without error or skip, yet without "
              + missing
              + ", which Python read intact");
    }
  }

  /** Plans and runs a read; a failure at either step is the read's failure. */
  private Result collect(Supplier<Dataset<Row>> read, String layout) {
    Result r = new Result();
    Dataset<Row> df;
    List<Row> rows;
    try {
      df = read.get();
      rows = df.collectAsList();
    } catch (Exception e) {
      r.failure = ObjectReadIT.rootMessages(e);
      return r;
    }
    r.skipped = ScanMetrics.of(df).getOrDefault("aisSkipped", 0L);
    for (Row row : rows) {
      if (layout.equals("members")) {
        byte[] content = (byte[]) row.get(row.fieldIndex("content"));
        String name = row.getString(row.fieldIndex("path"));
        if (content.length != row.getLong(row.fieldIndex("size"))) {
          r.problems.add(
              printable(name)
                  + ": size "
                  + row.getLong(row.fieldIndex("size"))
                  + " but "
                  + content.length
                  + " bytes");
        }
        r.members
            .computeIfAbsent(row.getString(row.fieldIndex("shard")), k -> new ArrayList<>())
            .add(Map.entry(name, content));
      } else {
        String url = row.getString(row.fieldIndex("__url__"));
        String key = row.getString(row.fieldIndex("__key__"));
        Set<String> extensions = new TreeSet<>();
        for (String ext : EXTENSIONS) {
          byte[] content = (byte[]) row.get(row.fieldIndex(ext));
          if (content != null) {
            extensions.add(ext);
            r.members
                .computeIfAbsent(url, k -> new ArrayList<>())
                .add(Map.entry(key + "." + ext, content));
          }
        }
        if (extensions.isEmpty()) {
          r.problems.add(url + ": sample '" + printable(key) + "' has no member");
        }
        r.samples.computeIfAbsent(url, k -> new ArrayList<>()).add(Map.entry(key, extensions));
      }
    }
    return r;
  }

  private static DataFrameReader reader(Mode mode, String layout) {
    DataFrameReader r = TestSpark.aisReader(layout);
    mode.options.forEach(r::option);
    // A given schema: mutated member names must not make up columns, and no shard's listing is
    // needed.
    return layout.equals("webdataset") ? r.schema(WDS_SCHEMA) : r;
  }

  private static String path(String name) {
    return "ais://" + bucket.name() + "/" + name;
  }

  private static List<String> names(List<Map.Entry<String, byte[]>> members) {
    return members.stream().map(m -> printable(m.getKey())).toList();
  }

  /** The first line of a failure, enough to tell what it said. */
  private static String brief(String failure) {
    String line = failure.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /** A member name fit for a one-line report: a mutated header can make one of binary garbage. */
  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints()
        .limit(40)
        .forEach(
            c ->
                out.append(
                    c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c)));
    return name.length() > 40 ? out + "..." : out.toString();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
