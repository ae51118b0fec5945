package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.client.ObjectReadStream;
import io.sparkaistore.tools.IndexShards;
import io.sparkaistore.wds.ShardMember;
import io.sparkaistore.wds.TarStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DALI index written with every {@code .tar} shard ({@code <shard>.idx}, wds2idx v1.2): each
 * entry checked against a ranged GET of the shard, and against the members a walk of the shard
 * finds; indexes come and go with their shards; reads never take them for shards.
 */
class ShardIndexIT {
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "shard-index");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  private static String path(String prefix) {
    return "ais://" + bucket.name() + "/" + prefix;
  }

  private static DataFrameWriter<Row> writer(Dataset<Row> df) {
    return df.write()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset")
        .option("maxSamplesPerShard", "4");
  }

  private static Dataset<Row> read(String layout, String path) {
    return TestSpark.aisReader(layout).load(path);
  }

  private static List<String> names(String prefix) throws Exception {
    return client.listObjects(bucket, ListOptions.prefix(prefix)).stream()
        .map(ObjectEntry::name)
        .collect(Collectors.toList());
  }

  private static JsonNode manifest(String prefix) throws Exception {
    return new ObjectMapper().readTree(client.getBytes(bucket, prefix + "_manifest.json"));
  }

  @ParameterizedTest(name = "shardNames={0}")
  @ValueSource(strings = {"sequential", "partition"})
  void everyEntryOfEveryIndexIsTheMembersBytesAtThatOffset(String shardNames) throws Exception {
    String out = "entries-" + shardNames + "/";
    writer(ShardWriteIT.samples(25, 3)).option("shardNames", shardNames).save(path(out));

    List<String> expected = new ArrayList<>(List.of(out + "_manifest.json"));
    JsonNode shards = manifest(out).path("shards");
    assertEquals(7, shards.size());
    long indexed = 0;
    for (JsonNode s : shards) {
      String shard = s.path("name").asText();
      assertEquals(shard + ".idx", s.path("index").asText());
      expected.add(shard);
      expected.add(shard + ".idx");
      indexed += checkIndex(shard, s.path("samples").asLong());
    }
    assertEquals(25, indexed);
    expected.sort(null);
    assertEquals(expected, names(out), "each shard with its index, nothing else");
  }

  /**
   * Checks the index of {@code shard} entry by entry and returns its sample count: every member at
   * its offset and size is the bytes written for it, and the entries are the members of the tar, in
   * order.
   */
  private static long checkIndex(String shard, long samples) throws Exception {
    String text = new String(client.getBytes(bucket, shard + ".idx"), StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), shard);
    List<String> lines = List.of(text.substring(0, text.length() - 1).split("\n", -1));
    assertEquals("v1.2 " + samples, lines.get(0), shard);
    assertEquals(samples + 1, lines.size(), shard);
    List<String> indexedMembers = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> fields = List.of(line.split(" ", -1));
      assertEquals(0, fields.size() % 4, line);
      for (int f = 0; f < fields.size(); f += 4) {
        String ext = fields.get(f);
        long offset = Long.parseLong(fields.get(f + 1));
        int size = Integer.parseInt(fields.get(f + 2));
        String name = fields.get(f + 3);
        assertEquals(name.substring(name.indexOf('.') + 1), ext, line);
        assertEquals(0, offset % 512, line);
        byte[] got;
        try (ObjectReadStream in = client.get(bucket, shard, offset, size)) {
          got = in.readAllBytes();
        }
        assertArrayEquals(contentOf(name), got, shard + " " + name);
        indexedMembers.add(name + " " + size);
      }
    }
    List<String> inTar = new ArrayList<>();
    TarStream tar = new TarStream(new ByteArrayInputStream(client.getBytes(bucket, shard)), shard);
    for (ShardMember m = tar.next(); m != null; m = tar.next()) {
      inTar.add(m.name() + " " + m.size());
    }
    assertEquals(inTar, indexedMembers, shard);
    return samples;
  }

  /** What {@link ShardWriteIT#samples} writes for the member {@code name}. */
  private static byte[] contentOf(String name) {
    int id = Integer.parseInt(name.substring("sample_".length(), name.indexOf('.')));
    String ext = name.substring(name.indexOf('.') + 1);
    String content;
    if (ext.equals("jpg")) {
      content = "jpeg-bytes-" + id;
    } else if (ext.equals("cls")) {
      content = String.valueOf(id % 10);
    } else {
      assertEquals("txt", ext, name);
      assertTrue(id % 3 != 0, "a null txt is no member: " + name);
      content = "caption " + id;
    }
    return content.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void overwritesTakeTheOldIndexesWithTheOldShards() throws Exception {
    String out = "overwrite/";
    writer(ShardWriteIT.samples(10, 2)).save(path(out)); // shard-000000..3.tar and their indexes
    assertEquals(9, names(out).size());

    writer(ShardWriteIT.samples(3, 1))
        .option("shardIndex", "false")
        .mode("overwrite")
        .save(path(out));
    // Numbered after the old shards and indexes, which are gone, and no index of its own.
    assertEquals(List.of(out + "_manifest.json", out + "shard-000004.tar"), names(out));
    assertFalse(manifest(out).path("shards").get(0).has("index"));

    writer(ShardWriteIT.samples(6, 1))
        .option("shardNames", "partition")
        .mode("overwrite")
        .save(path(out));
    List<String> expected = new ArrayList<>(List.of(out + "_manifest.json"));
    for (JsonNode s : manifest(out).path("shards")) {
      expected.add(s.path("name").asText());
      expected.add(s.path("index").asText());
      checkIndex(s.path("name").asText(), s.path("samples").asLong());
    }
    expected.sort(null);
    assertEquals(5, expected.size());
    assertEquals(expected, names(out));
  }

  @Test
  void gzipShardsAreWrittenWithoutIndexes() throws Exception {
    writer(ShardWriteIT.samples(5, 1)).option("compression", "gzip").save(path("gz/"));
    assertEquals(
        List.of("gz/_manifest.json", "gz/shard-000000.tar.gz", "gz/shard-000001.tar.gz"),
        names("gz/"));
  }

  @Test
  void readsReturnTheSameRowsWithAndWithoutIndexes() throws Exception {
    writer(ShardWriteIT.samples(25, 3)).save(path("with/"));
    writer(ShardWriteIT.samples(25, 3)).option("shardIndex", "false").save(path("without/"));
    assertTrue(names("with/").stream().anyMatch(n -> n.endsWith(".idx")));
    assertFalse(names("without/").stream().anyMatch(n -> n.endsWith(".idx")));

    assertEquals(rows("webdataset", "with/"), rows("webdataset", "without/"));
    assertEquals(rows("members", "with/"), rows("members", "without/"));
    assertEquals(rows("zipped", "with/"), rows("zipped", "without/"));
    // A pattern that matches the indexes too still reads shards only.
    assertEquals(rows("webdataset", "with/"), rows("webdataset", "with/shard-*"));
    // Read as objects, the indexes are objects like any other.
    assertEquals(14, read("objects", path("with/")).count());
  }

  /**
   * IndexShards, the one-line job for shards written by others, writes each plain tar shard the
   * index its writer would have written, byte for byte, passes over gzip shards and existing
   * indexes, and writes the same bytes when run again.
   */
  @Test
  void indexShardsGivesShardsWrittenByOthersTheIndexTheirWriterWouldHaveWritten() throws Exception {
    String out = "tool/";
    writer(ShardWriteIT.samples(25, 3)).save(path(out));
    writer(ShardWriteIT.samples(6, 1)).option("compression", "gzip").mode("append").save(path(out));
    Map<String, byte[]> written = new TreeMap<>();
    for (String name : names(out)) {
      if (name.endsWith(".idx")) {
        written.put(name, client.getBytes(bucket, name));
        client.delete(bucket, name);
      }
    }
    assertEquals(7, written.size());
    Map<String, String> options = Map.of("endpoint", AisTestCluster.endpoint().toString());

    for (int run = 1; run <= 2; run++) {
      IndexShards.Result result = IndexShards.run(TestSpark.session(), path(out), options);
      assertEquals(7, result.indexed(), "run " + run);
      assertEquals(2, result.passedOver(), "run " + run + ": the gzip shards");
      for (Map.Entry<String, byte[]> index : written.entrySet()) {
        assertArrayEquals(
            index.getValue(), client.getBytes(bucket, index.getKey()), index.getKey());
      }
      assertEquals(
          7, names(out).stream().filter(n -> n.endsWith(".idx")).count(), "no index of an index");
    }
  }

  /**
   * Key filters, a pruned column and a sample read through the indexes (ranges of the shards from a
   * real AIS) return the rows of streaming every shard whole.
   */
  @Test
  void queriesThroughIndexesReturnTheRowsOfStreaming() throws Exception {
    writer(ShardWriteIT.samples(40, 2)).save(path("query/"));
    List<Function<Dataset<Row>, Dataset<Row>>> queries =
        List.of(
            d -> d.where("__key__ IN ('sample_0003', 'sample_0017', 'sample_0039', 'none')"),
            d -> d.where("__key__ LIKE 'sample_001%'").select("__key__", "txt"),
            d -> d.select("__key__", "cls"),
            d -> d.sample(0.3, 7).select("__key__", "jpg"));
    for (Function<Dataset<Row>, Dataset<Row>> query : queries) {
      List<String> indexed = rows(query.apply(read("webdataset", path("query/"))), true);
      List<String> streamed =
          rows(
              query.apply(
                  TestSpark.aisReader("webdataset")
                      .option("useIndex", "false")
                      .load(path("query/"))),
              true);
      assertFalse(streamed.isEmpty());
      assertEquals(streamed, indexed);
    }
  }

  /**
   * The rows of a read, in order (zipped rows are ordered by the read), without the column naming
   * the shard, as text with bytes as ISO-8859-1.
   */
  private static List<String> rows(String layout, String prefix) {
    return rows(read(layout, path(prefix)), !layout.equals("zipped"));
  }

  private static List<String> rows(Dataset<Row> read, boolean sort) {
    List<String> out = new ArrayList<>();
    for (Row r : read.drop("__url__", "shard").collectAsList()) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        text.append(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : v)
            .append('|');
      }
      out.add(text.toString());
    }
    if (sort) {
      out.sort(null);
    }
    return out;
  }
}
