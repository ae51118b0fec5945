package io.sparkaistore.it;

import static io.sparkaistore.wds.TestShards.shard;
import static io.sparkaistore.wds.TestShards.utf8;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkaistore.client.AisBucket;
import io.sparkaistore.client.AisClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Well-formed shards that are easy to get wrong: links, GNU and pax archives made by GNU tar (long
 * and UTF-8 names), empty archives, a tar without its end-of-archive blocks, zips whose sizes come
 * after the data, hidden files. Each is read in the webdataset and members layouts and checked row
 * by row, byte for byte.
 */
class ShardEdgeCasesIT {
  // Beyond ustar's 100-byte name field.
  private static final String LONG_NAME = "d/" + "x".repeat(120) + ".txt";
  private static final String UTF8_NAME = "данные/ключ.txt";
  private static AisClient client;
  private static AisBucket bucket;

  @BeforeAll
  static void createBucket() throws Exception {
    client = AisTestBuckets.client();
    bucket = AisTestBuckets.create(client, "shard-edges");
  }

  @AfterAll
  static void destroyBucket() throws Exception {
    AisTestBuckets.destroy(client, bucket);
  }

  @Test
  void linksAreNotRowsButEveryRegularFileIs() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      file(tar, "a/s1.txt", "one");
      file(tar, "a/s1.cls", "1");
      link(tar, "a/s1.sym", TarConstants.LF_SYMLINK, "s1.txt");
      file(tar, "a/s2.txt", "two");
      link(tar, "a/s2.hard", TarConstants.LF_LINK, "a/s1.txt");
      link(
          tar,
          "a/s3.txt",
          TarConstants.LF_SYMLINK,
          "s1.txt"); // a sample of links only is no sample
      link(tar, "a/s4.cls", TarConstants.LF_LINK, "a/s1.cls");
      file(tar, "a/s5.txt", "five");
    }
    client.put(bucket, "links/commons.tar", out.toByteArray());
    String shard = path("links/commons.tar");
    Dataset<Row> samples =
        TestSpark.aisReader("webdataset")
            .schema("__key__ STRING, txt BINARY, cls BINARY, sym BINARY, hard BINARY")
            .load(shard);
    assertEquals(
        List.of("a/s1 cls='1' txt='one'", "a/s2 txt='two'", "a/s5 txt='five'"), samples(samples));
    assertEquals(4L, ScanMetrics.of(samples).get("aisSkippedMembers"));
    Dataset<Row> members = TestSpark.aisReader("members").load(shard);
    assertEquals(
        List.of("a/s1.txt='one'", "a/s1.cls='1'", "a/s2.txt='two'", "a/s5.txt='five'"),
        members(members, shard));
    assertEquals(4L, ScanMetrics.of(members).get("aisSkippedMembers"));
  }

  /**
   * GNU tar's own archives: long names (GNU ././@LongLink, pax path records), UTF-8 names, a
   * symlink, a hard link.
   */
  @ParameterizedTest(name = "--format={0}")
  @ValueSource(strings = {"gnu", "pax"})
  void gnuTarArchivesReadWithLongAndUtf8NamesAndWithoutLinks(String format, @TempDir Path dir)
      throws Exception {
    Path archive = dir.resolve("out.tar");
    // A script, so that the UTF-8 names reach the file system as bytes whatever the JVM's locale.
    String script =
        String.join(
            "\n",
            "set -e",
            "cd \"$1\"",
            "mkdir -p d данные",
            "printf 'gnu one' > d/s1.txt",
            "printf 1 > d/s1.cls",
            "ln -s s1.txt d/s2.txt",
            "ln d/s1.cls d/s3.cls",
            "printf long > '" + LONG_NAME + "'",
            "printf utf8 > '" + UTF8_NAME + "'",
            "printf four > d/s4.txt",
            "tar --format=\"$2\" -cf \"$3\" --no-recursion d/s1.txt d/s1.cls d/s2.txt d/s3.cls '"
                + LONG_NAME
                + "' '"
                + UTF8_NAME
                + "' d/s4.txt",
            "");
    Path scriptFile = dir.resolve("make.sh");
    Files.write(scriptFile, utf8(script));
    Path tree = Files.createDirectory(dir.resolve("tree"));
    run(List.of("bash", scriptFile.toString(), tree.toString(), format, archive.toString()));
    String name = "gnu/" + format + ".tar";
    client.put(bucket, name, Files.readAllBytes(archive));
    String shard = path(name);

    Dataset<Row> inferred = TestSpark.aisReader("webdataset").load(shard);
    assertEquals(
        List.of("__key__", "__url__", "cls", "txt"), List.of(inferred.schema().fieldNames()));
    String longKey = LONG_NAME.substring(0, LONG_NAME.length() - ".txt".length());
    assertEquals(
        List.of(
            "d/s1 cls='1' txt='gnu one'",
            longKey + " txt='long'",
            "данные/ключ txt='utf8'",
            "d/s4 txt='four'"),
        samples(inferred));
    assertEquals(
        List.of(
            "d/s1.txt='gnu one'",
            "d/s1.cls='1'",
            LONG_NAME + "='long'",
            UTF8_NAME + "='utf8'",
            "d/s4.txt='four'"),
        members(TestSpark.aisReader("members").load(shard), shard));
  }

  /**
   * What {@code tar cf x.tar -T /dev/null} writes (a 10240-byte record of zeros), and the bare two
   * zero blocks.
   */
  @Test
  void emptyTarsReadAsNoRowsWithoutError(@TempDir Path dir) throws Exception {
    Path empty = dir.resolve("x.tar");
    run(List.of("tar", "cf", empty.toString(), "-T", "/dev/null"));
    byte[] record = Files.readAllBytes(empty);
    assertTrue(
        record.length == 10240 && Arrays.equals(record, new byte[10240]),
        "GNU tar's empty archive");
    client.put(bucket, "empty/gnu.tar", record);
    client.put(bucket, "empty/two-blocks.tar", new byte[1024]);
    List<Executable> checks = new ArrayList<>();
    for (String name : List.of("empty/gnu.tar", "empty/two-blocks.tar")) {
      for (String layout : List.of("webdataset", "members")) {
        checks.add(
            () -> {
              DataFrameReader r = TestSpark.aisReader(layout);
              Dataset<Row> df =
                  (layout.equals("webdataset")
                          ? r.schema("__key__ STRING, __url__ STRING, txt BINARY")
                          : r)
                      .load(path(name));
              assertEquals(List.of(), df.collectAsList(), name + ", " + layout);
              assertEquals(1L, ScanMetrics.of(df).get("aisShards"), name + ", " + layout);
            });
      }
    }
    assertAll(checks);
  }

  /** GNU tar and tarfile accept an archive that stops at a block boundary after its last member. */
  @Test
  void tarWithoutEndOfArchiveBlocksReadsFully() throws Exception {
    byte[] tar = shard().add("e/s1.txt", "one").add("e/s1.cls", "1").add("e/s2.txt", "two").tar();
    int[] last = ShardMutants.tarEntries(tar).get(2);
    byte[] bare = Arrays.copyOf(tar, last[1] + (last[2] + 511) / 512 * 512);
    client.put(bucket, "no-eoa/a.tar", bare);
    client.put(bucket, "no-eoa/b.tar.gz", ShardMutants.gzip(bare));
    for (String name : List.of("no-eoa/a.tar", "no-eoa/b.tar.gz")) {
      String shard = path(name);
      assertEquals(
          List.of("e/s1 cls='1' txt='one'", "e/s2 txt='two'"),
          samples(
              TestSpark.aisReader("webdataset")
                  .schema("__key__ STRING, txt BINARY, cls BINARY")
                  .load(shard)),
          name);
      assertEquals(
          List.of("e/s1.txt='one'", "e/s1.cls='1'", "e/s2.txt='two'"),
          members(TestSpark.aisReader("members").load(shard), shard),
          name);
    }
  }

  /**
   * Zips whose sizes follow the data: STORED members with data descriptors (Python's zipfile on a
   * stream that cannot seek; a streaming reader must find where each ends), and java.util.zip's
   * DEFLATED ones. The binary member holds zip signatures, so finding the end by signature alone
   * goes wrong.
   */
  @Test
  void zipsWithDataDescriptorsReadExactly(@TempDir Path dir) throws Exception {
    byte[] bin = new byte[3000];
    new Random(7).nextBytes(bin);
    System.arraycopy(new byte[] {'P', 'K', 7, 8}, 0, bin, 1000, 4);
    System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, bin, 2000, 4);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("z/a.txt", utf8("alpha"));
    files.put("z/a.cls", utf8("1"));
    files.put("z/b.bin", bin);
    files.put("z/b.cls", utf8("2"));

    Path stored = dir.resolve("stored.zip");
    List<String> args =
        new ArrayList<>(
            List.of(PythonEnv.script("shard_truth.py"), "zip-stream", stored.toString()));
    files.forEach((n, b) -> args.add(n + "=" + HexFormat.of().formatHex(b)));
    PythonEnv.run(args);
    byte[] storedZip = Files.readAllBytes(stored);
    assertEquals(8, storedZip[6] & 8, "Python wrote data descriptors");
    client.put(bucket, "zips/python-stored.zip", storedZip);

    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(deflated)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        // DEFLATED, sizes unknown up front: data descriptors.
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getValue());
        zip.closeEntry();
      }
    }
    client.put(bucket, "zips/java-deflated.zip", deflated.toByteArray());

    String binHex = "0x" + HexFormat.of().formatHex(bin);
    List<Executable> checks = new ArrayList<>();
    for (String name : List.of("zips/python-stored.zip", "zips/java-deflated.zip")) {
      String shard = path(name);
      checks.add(
          () ->
              assertEquals(
                  List.of("z/a cls='1' txt='alpha'", "z/b bin=" + binHex + " cls='2'"),
                  samples(
                      TestSpark.aisReader("webdataset")
                          .schema("__key__ STRING, txt BINARY, cls BINARY, bin BINARY")
                          .load(shard)),
                  name));
      checks.add(
          () ->
              assertEquals(
                  List.of("z/a.txt='alpha'", "z/a.cls='1'", "z/b.bin=" + binHex, "z/b.cls='2'"),
                  members(TestSpark.aisReader("members").load(shard), shard),
                  name));
    }
    assertAll(checks);
  }

  @Test
  void aZipLocalHeaderSignatureAloneFailsNamingTheObjectOrIsSkipped() throws Exception {
    client.put(bucket, "sig/only.zip", new byte[] {'P', 'K', 3, 4});
    String shard = path("sig/only.zip");
    for (String layout : List.of("webdataset", "members")) {
      DataFrameReader r = TestSpark.aisReader(layout);
      if (layout.equals("webdataset")) {
        r = r.schema("__key__ STRING, txt BINARY");
      }
      Dataset<Row> failing = r.load(shard);
      String messages =
          ObjectReadIT.rootMessages(assertThrows(Exception.class, failing::collectAsList));
      assertTrue(messages.contains(shard), layout + ": " + messages);
      Dataset<Row> skipping = r.option("ignoreCorruptFiles", "true").load(shard);
      assertEquals(List.of(), skipping.collectAsList(), layout);
      assertEquals(1L, ScanMetrics.of(skipping).get("aisSkipped"), layout);
    }
  }

  /**
   * macOS leaves AppleDouble files ({@code ._name}) and {@code .DS_Store} in archives it makes.
   * They have no key under the WebDataset rule, so they make no sample (nor a column); they are
   * files all the same, so the members layout lists them.
   */
  @Test
  void hiddenMembersAreNoSamplesButAreMembers() throws Exception {
    io.sparkaistore.wds.TestShards hidden =
        shard()
            .add("dir/img.jpg", "jpeg")
            .add("dir/img.cls", "7")
            .add("dir/._img.jpg", "apple double")
            .add("dir/.DS_Store", "finder")
            .add("dir/z.jpg", "zzz");
    client.put(bucket, "hidden/a.tar", hidden.tar());
    client.put(bucket, "hidden/b.zip", hidden.zip());
    for (String name : List.of("hidden/a.tar", "hidden/b.zip")) {
      String shard = path(name);
      Dataset<Row> samples = TestSpark.aisReader("webdataset").load(shard);
      assertEquals(
          List.of("__key__", "__url__", "cls", "jpg"),
          List.of(samples.schema().fieldNames()),
          name);
      assertEquals(
          List.of("dir/img cls='7' jpg='jpeg'", "dir/z jpg='zzz'"), samples(samples), name);
      assertEquals(2L, ScanMetrics.of(samples).get("aisSkippedMembers"), name);
      assertEquals(
          List.of(
              "dir/img.jpg='jpeg'",
              "dir/img.cls='7'",
              "dir/._img.jpg='apple double'",
              "dir/.DS_Store='finder'",
              "dir/z.jpg='zzz'"),
          members(TestSpark.aisReader("members").load(shard), shard),
          name);
    }
  }

  // --- helpers
  // --------------------------------------------------------------------------------------

  private static void file(TarArchiveOutputStream tar, String name, String content)
      throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name);
    byte[] bytes = utf8(content);
    e.setSize(bytes.length);
    tar.putArchiveEntry(e);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream tar, String name, byte type, String target)
      throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static String path(String name) {
    return "ais://" + bucket.name() + "/" + name;
  }

  /** Each sample as "key ext=value ...", extensions in name order, null columns left out. */
  private static List<String> samples(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    List<String> columns = new ArrayList<>(List.of(df.schema().fieldNames()));
    columns.sort(null);
    for (Row r : df.collectAsList()) {
      StringBuilder b = new StringBuilder(r.getString(r.fieldIndex("__key__")));
      for (String c : columns) {
        Object v = r.get(r.fieldIndex(c));
        if (!c.startsWith("__") && v != null) {
          b.append(' ').append(c).append('=').append(render((byte[]) v));
        }
      }
      out.add(b.toString());
    }
    return out;
  }

  /**
   * Each member as "path=value", in archive order; checks the shard and size columns on the way.
   */
  private static List<String> members(Dataset<Row> df, String shard) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      byte[] content = (byte[]) r.get(r.fieldIndex("content"));
      assertEquals(shard, r.getString(r.fieldIndex("shard")));
      assertEquals(
          content.length, r.getLong(r.fieldIndex("size")), r.getString(r.fieldIndex("path")));
      out.add(r.getString(r.fieldIndex("path")) + "=" + render(content));
    }
    return out;
  }

  /**
   * Short printable text in quotes, anything else as full hex: either way every byte is compared.
   */
  private static String render(byte[] bytes) {
    boolean text = bytes.length <= 64;
    for (byte b : bytes) {
      text &= b >= 0x20 && b < 0x7f;
    }
    return text
        ? "'" + new String(bytes, StandardCharsets.US_ASCII) + "'"
        : "0x" + HexFormat.of().formatHex(bytes);
  }

  private static void run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C.UTF-8");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(
        p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0, command + " failed: " + output);
  }
}
