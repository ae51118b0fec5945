package io.sparkaistore.source.read;

import io.sparkaistore.client.AisClient;
import io.sparkaistore.client.AisException;
import io.sparkaistore.client.AisPath;
import io.sparkaistore.client.ListOptions;
import io.sparkaistore.client.ObjectEntry;
import io.sparkaistore.source.options.ReadConfig;
import io.sparkaistore.wds.DaliIndex;
import io.sparkaistore.wds.IndexedShard;
import io.sparkaistore.wds.ShardMember;
import io.sparkaistore.wds.ShardReader;
import io.sparkaistore.wds.WdsFormatException;
import io.sparkaistore.wds.WdsKeys;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of the shard layouts: {@code webdataset} (inferred or given), {@code members}, {@code
 * zipped}.
 */
public final class ShardSchemas {
  public static final String KEY = WdsKeys.KEY;
  public static final String URL = WdsKeys.URL;
  public static final String SHARD = "shard";
  public static final String PATH = "path";
  public static final String SIZE = "size";
  public static final String CONTENT = "content";

  /** Members read from the start of a shard whose members AIS does not list. */
  private static final int PEEK_MEMBERS = 1000;

  /** Marks a webdataset schema the connector inferred (rather than one the user gave). */
  static final String INFERRED = "ais.inferred";

  /** One row per file inside the shards. */
  public static final StructType MEMBERS =
      new StructType()
          .add(SHARD, DataTypes.StringType, false)
          .add(PATH, DataTypes.StringType, false)
          .add(SIZE, DataTypes.LongType, false)
          .add(CONTENT, DataTypes.BinaryType, false);

  private ShardSchemas() {}

  /**
   * Row i holds the i-th file of each source, one BINARY column per source: source_0, source_1, ...
   */
  public static StructType zipped(int sources) {
    StructType schema = new StructType();
    for (int i = 0; i < sources; i++) {
      schema = schema.add("source_" + i, DataTypes.BinaryType, false);
    }
    return schema;
  }

  /**
   * {@code __key__}, {@code __url__} and one BINARY column per extension, sorted, inferred from
   * AIS's listing of the members of the first {@code schemaSampleShards} shards of each source
   * (list-objects flag 8: no shard is downloaded), or from the first members of a shard AIS does
   * not list.
   */
  public static StructType inferWebDataset(AisClient client, ReadConfig options)
      throws AisException {
    TreeSet<String> extensions = new TreeSet<>();
    for (AisPath path : options.paths()) {
      collectExtensions(client, options, path, extensions);
    }
    if (extensions.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot infer the webdataset columns of "
              + options.paths()
              + ": AIS lists no sample members in the first shards (shards are recognised by a .tar, .tgz, .tar.gz, "
              + ".tar.lz4 or .zip name). Give the schema with .schema(...), e.g. \"__key__ STRING, jpg BINARY\".");
    }
    Metadata inferred = new MetadataBuilder().putBoolean(INFERRED, true).build();
    StructType schema =
        new StructType()
            .add(KEY, DataTypes.StringType, false, inferred)
            .add(URL, DataTypes.StringType, false);
    for (String ext : extensions) {
      schema = schema.add(ext, DataTypes.BinaryType, true);
    }
    return schema;
  }

  private static void collectExtensions(
      AisClient client, ReadConfig options, AisPath path, Set<String> out) throws AisException {
    int limit =
        options.schemaSampleShards() == 0 ? Integer.MAX_VALUE : options.schemaSampleShards();
    AisClient.ObjectLister pages =
        client.lister(
            path.bucket(),
            ListOptions.prefix(path.prefix())
                .withFlags(ListOptions.FLAG_ARCH_DIR)
                .withPageSize(options.listPageSize()));
    String shard = null;
    boolean membersListed = false;
    int shards = 0;
    while (pages.hasNextPage()) {
      for (ObjectEntry e : pages.nextPage()) {
        // Members (listed inside their archive) are data whatever their name.
        if (!SourceListing.isData(path.prefix(), e.name(), !e.isInArchive())) {
          continue;
        }
        if (e.isArchive() || !e.isInArchive()) {
          if (shard != null && !membersListed) {
            peekExtensions(client, options, path, shard, out);
          }
          if (!path.selects(e.name())) {
            shard = null; // its members, listed next, are not sampled either
            continue;
          }
          if (++shards > limit) {
            return;
          }
          shard = e.name();
          membersListed = false;
        } else if (shard != null && e.name().startsWith(shard + "/")) {
          membersListed = true;
          addExtension(options, e.name().substring(shard.length() + 1), out);
        }
      }
    }
    if (shard != null && !membersListed) {
      peekExtensions(client, options, path, shard, out);
    }
    if (path.isPattern() && shards == 0) {
      throw SourceListing.noMatch(path);
    }
  }

  private static void addExtension(ReadConfig options, String member, Set<String> out) {
    String[] split = options.keyRule().split(member);
    if (split != null) {
      out.add(options.lowercaseExtensions() ? split[1].toLowerCase(Locale.ROOT) : split[1]);
    }
  }

  /**
   * The extensions of a shard AIS does not list the members of (one whose name is not an archive's,
   * or one uploaded in parts, which AIS 5.0 does not expand): those its DALI index lists, or,
   * without an index, those among its first members, read from the start of the shard, which is
   * then abandoned. Extensions that appear only later in such a shard are not seen then; the read
   * fails on them by name rather than dropping them.
   */
  private static void peekExtensions(
      AisClient client, ReadConfig options, AisPath path, String name, Set<String> out)
      throws AisException {
    if (indexedExtensions(client, options, path, name, out)) {
      return;
    }
    try (InputStream in = client.get(path.bucket(), name);
        ShardReader shard = ShardReader.open(in, name)) {
      ShardMember member;
      for (int i = 0; i < PEEK_MEMBERS && (member = shard.next()) != null; i++) {
        addExtension(options, member.name(), out);
      }
    } catch (WdsFormatException notAShard) {
      // Not a shard: the read will say so, or skip it, as its options choose.
    } catch (AisException e) {
      throw e;
    } catch (IOException e) {
      throw new AisException(
          "Cannot read the start of shard " + name + ": " + e, path.bucket().toString(), name, e);
    }
  }

  /**
   * Adds the extensions the shard's DALI index lists, a small object instead of the shard's first
   * megabytes; false when it has no usable index.
   */
  private static boolean indexedExtensions(
      AisClient client, ReadConfig options, AisPath path, String name, Set<String> out)
      throws AisException {
    if (!options.useIndex()) {
      return false;
    }
    String indexName = DaliIndex.nameOf(name);
    try {
      for (String member :
          IndexedShard.memberNames(indexName, client.getBytes(path.bucket(), indexName))) {
        addExtension(options, member, out);
      }
      return true;
    } catch (IndexedShard.InvalidIndexException e) {
      return false; // read the shard itself
    } catch (AisException e) {
      if (e.isNotFound()) {
        return false;
      }
      throw e;
    } catch (IOException e) {
      throw new AisException(
          "Cannot read the index " + indexName + ": " + e, path.bucket().toString(), indexName, e);
    }
  }

  /** Whether the schema was inferred by the connector rather than given by the user. */
  static boolean isInferred(StructType schema) {
    return schema.getFieldIndex(KEY).isDefined() && schema.apply(KEY).metadata().contains(INFERRED);
  }

  /** The extension columns of a webdataset schema. */
  static List<String> extensionColumns(StructType schema) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!f.name().equals(KEY) && !f.name().equals(URL)) {
        out.add(f.name());
      }
    }
    return out;
  }

  /**
   * Checks a user's webdataset schema: string {@code __key__}/{@code __url__}, BINARY extensions.
   */
  public static void validateWebDataset(StructType schema) {
    for (StructField f : schema.fields()) {
      boolean special = f.name().equals(KEY) || f.name().equals(URL);
      if (special ? !(f.dataType() instanceof StringType) : !(f.dataType() instanceof BinaryType)) {
        throw new IllegalArgumentException(
            "Invalid webdataset schema: column '"
                + f.name()
                + "' is "
                + f.dataType().simpleString()
                + ", expected "
                + (special
                    ? "STRING"
                    : "BINARY (one column per " + "extension; cast or decode it after reading)"));
      }
    }
    if (extensionColumns(schema).isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid webdataset schema " + schema.simpleString() + ": it names no extension column");
    }
  }
}
