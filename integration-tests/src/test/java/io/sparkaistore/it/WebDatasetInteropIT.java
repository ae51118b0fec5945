package io.sparkaistore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.client.RequestBody;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards round-trip between this connector and the Python webdataset library, both ways, unchanged.
 */
class WebDatasetInteropIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "interop");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  @Test
  void shardsWeWriteAreReadUnchangedByWebdataset(@TempDir Path dir) throws Exception {
    Dataset<Row> samples = ShardWriteIT.samples(23, 2);
    samples
        .write()
        .format("ais")
        .option("endpoint", AisTestCluster.endpoint().toString())
        .option("layout", "webdataset")
        .option("maxSamplesPerShard", "5")
        .save("ais://" + bucket.name() + "/ours/");
    List<String> files = new ArrayList<>();
    for (ObjectEntry e : client.listObjects(bucket, ListOptions.prefix("ours/shard-"))) {
      if (e.name().endsWith(".idx")) {
        continue; // a shard's DALI index, not a shard
      }
      Path file = dir.resolve(e.name().substring("ours/".length()));
      Files.write(file, client.getBytes(bucket, e.name()));
      files.add(file.toString());
    }
    List<String> args = new ArrayList<>(List.of(PythonEnv.script("wds_interop.py"), "read"));
    args.addAll(files);
    assertEquals(asJsonLines(samples), sorted(PythonEnv.run(args)));
  }

  @Test
  void shardsWebdatasetWritesAreReadUnchangedByUs(@TempDir Path dir) throws Exception {
    String written =
        PythonEnv.run(
            List.of(PythonEnv.script("wds_interop.py"), "write", dir.toString(), "17", "6"));
    try (Stream<Path> shards = Files.list(dir)) {
      for (Path shard : shards.sorted().collect(Collectors.toList())) {
        client.put(bucket, "theirs/" + shard.getFileName(), RequestBody.ofFile(shard));
      }
    }
    Dataset<Row> read =
        TestSpark.session()
            .read()
            .format("ais")
            .option("endpoint", AisTestCluster.endpoint().toString())
            .option("layout", "webdataset")
            .load("ais://" + bucket.name() + "/theirs/")
            .drop("__url__");
    assertEquals(sorted(written), asJsonLines(read));
  }

  /** Each row as the Python side prints a sample: key plus hex of every non-null member. */
  private static SortedSet<String> asJsonLines(Dataset<Row> df) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    for (Row r : df.collectAsList()) {
      ObjectNode sample = JSON.createObjectNode();
      sample.put("__key__", r.getString(r.fieldIndex("__key__")));
      for (String column : df.schema().fieldNames()) {
        Object v = r.get(r.fieldIndex(column));
        if (!column.startsWith("__") && v != null) {
          sample.put(
              column,
              HexFormat.of()
                  .formatHex(
                      v instanceof byte[] array
                          ? array
                          : String.valueOf(v).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
      }
      out.add(sorted(sample));
    }
    return out;
  }

  private static SortedSet<String> sorted(String jsonLines) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    for (String line : jsonLines.split("\n", -1)) {
      if (!line.isBlank()) {
        out.add(sorted(JSON.readTree(line)));
      }
    }
    return out;
  }

  /** Compact JSON with keys in order, so both sides print a sample the same way. */
  private static String sorted(JsonNode node) throws Exception {
    return JSON.copy()
        .configure(
            com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
        .writeValueAsString(JSON.treeToValue(node, java.util.Map.class));
  }
}
