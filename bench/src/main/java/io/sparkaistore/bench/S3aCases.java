package io.sparkaistore.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What a Spark user does today without the connector: Spark's {@code binaryFile} source over AIS's
 * S3-compatible API ({@code /s3} on the proxy) through Hadoop's S3A file system, and the tar shards
 * parsed in Spark. Every S3A setting comes from the arguments as {@code
 * hadoop.fs.s3a.<key>=<value>} (set as {@code spark.hadoop.fs.s3a.<key>}); bench/bench.py lists the
 * ones AIS needs.
 */
final class S3aCases {
  private S3aCases() {}

  /**
   * Reads the tar shards {@code path} (an {@code s3a://} glob) with {@code binaryFile}, turns each
   * shard into a row per WebDataset sample in a {@code flatMap} ({@code __key__}, {@code __url__}
   * and a BINARY column per extension in {@code extensions}), and adds up the length of every
   * member, as {@code SparkCases.read} does for the connector. {@code binaryFile} holds each whole
   * shard in one row: the heap must fit a shard per task, several times over. Timed as {@code
   * SparkCases.read} is: after warm-up runs (see {@link Timing}).
   */
  static long[] binaryFileRead(Map<String, String> a) throws Exception {
    List<String> extensions =
        Arrays.asList(a.getOrDefault("extensions", "jpg,cls,json").split(","));
    StructType schema =
        new StructType().add("__key__", DataTypes.StringType).add("__url__", DataTypes.StringType);
    for (String ext : extensions) {
      schema = schema.add(ext, DataTypes.BinaryType);
    }
    StructType sampleSchema = schema;
    return SparkCases.timedTotals(
        a,
        spark -> {
          // A glob (s3a://bench/shards/*.tar), not the directory: Spark checks that a plain path
          // exists, S3A probes that with a HEAD of the key "shards", and AIS answers it with 400
          // (ErrLmetaNotFound), not 404.
          Dataset<Row> shards = spark.read().format("binaryFile").load(a.get("path"));
          return shards
              .select("path", "content")
              .flatMap(
                  (FlatMapFunction<Row, Row>)
                      shard -> new Samples(shard.getString(0), (byte[]) shard.get(1), extensions),
                  Encoders.row(sampleSchema));
        });
  }

  /**
   * The samples of one tar shard held in memory, one at a time, by the WebDataset rules: the key is
   * the member's path up to the first dot of its file name, the extension (lower-cased) the rest;
   * adjacent members with the same key form a sample; directories and members without an extension
   * are skipped. A member with an extension outside the schema fails the read, so that no byte goes
   * uncounted.
   */
  static final class Samples implements Iterator<Row> {
    private final String url;
    private final List<String> extensions;
    private final TarArchiveInputStream tar;
    private TarArchiveEntry pending;
    private Row next;

    Samples(String url, byte[] shard, List<String> extensions) throws IOException {
      this.url = url;
      this.extensions = extensions;
      this.tar = new TarArchiveInputStream(new ByteArrayInputStream(shard));
      this.pending = member();
    }

    private TarArchiveEntry member() throws IOException {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        int dot = dot(e.getName());
        if (e.isFile() && dot >= 0 && dot < e.getName().length() - 1) {
          return e;
        }
      }
      return null;
    }

    /** The first dot of the file name: the key is the path before it, the extension after it. */
    private static int dot(String name) {
      return name.indexOf('.', name.lastIndexOf('/') + 1);
    }

    @Override
    public boolean hasNext() {
      if (next == null && pending != null) {
        try {
          String key = pending.getName().substring(0, dot(pending.getName()));
          Object[] values = new Object[2 + extensions.size()];
          values[0] = key;
          values[1] = url;
          while (pending != null
              && pending.getName().substring(0, dot(pending.getName())).equals(key)) {
            String ext = pending.getName().substring(key.length() + 1).toLowerCase(Locale.ROOT);
            int i = extensions.indexOf(ext);
            if (i < 0) {
              throw new IOException(
                  url
                      + ": member "
                      + pending.getName()
                      + " has an extension outside "
                      + extensions);
            }
            if (values[2 + i] != null) {
              throw new IOException(url + ": extension " + ext + " repeated in sample " + key);
            }
            values[2 + i] = tar.readAllBytes();
            pending = member();
          }
          next = RowFactory.create(values);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }
  }
}
