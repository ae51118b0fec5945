package io.sparkaistore.wds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The index of a plain {@code .tar} shard in NVIDIA DALI's {@code wds2idx} format, version 1.2, as
 * DALI's webdataset reader takes it ({@code index_paths}): a line {@code v1.2 <samples>}, then a
 * line per sample listing each member as {@code <extension> <offset> <size> <name>}, where the
 * offset is that of the member's data (after its header, PAX headers included), a multiple of 512.
 * A member's extension is what follows the first dot of its file name, as DALI splits it. DALI
 * reads the fields separated by whitespace, so a member name with whitespace cannot be indexed.
 */
public final class DaliIndex {
  /** What an index's object name adds to its shard's: {@code shard-000000.tar.idx}. */
  public static final String SUFFIX = ".idx";

  private static final String VERSION = "v1.2";

  private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
  private long samples;

  /** One member of a sample: its name in the archive, where its data starts and its size. */
  public static final class Member {
    final String name;
    final long offset;
    final long size;

    public Member(String name, long offset, long size) {
      this.name = name;
      this.offset = offset;
      this.size = size;
    }
  }

  /**
   * The index of a plain tar shard written by anyone, read to its end from {@code reader}: a sample
   * is a run of adjacent members with the same webdataset key ({@link KeyRule#WEBDATASET}); members
   * without a key (no extension, hidden files) are left out, as this connector's reads leave them
   * out. Fails naming the shard and the member when a key comes back after another, as DALI would
   * then split one sample in two.
   */
  public static DaliIndex of(ShardReader reader) throws IOException {
    if (reader.format() != ShardFormat.TAR) {
      throw new IllegalArgumentException(
          "DALI indexes plain tar shards only; " + reader.shard() + " is " + reader.format());
    }
    DaliIndex index = new DaliIndex();
    Set<String> keys = new HashSet<>();
    List<Member> sample = new ArrayList<>();
    String key = null;
    for (ShardMember m = reader.next(); m != null; m = reader.next()) {
      String[] split = KeyRule.WEBDATASET.split(m.name());
      if (split == null) {
        continue;
      }
      if (!split[0].equals(key)) {
        index.add(sample);
        sample = new ArrayList<>();
        key = split[0];
        if (!keys.add(key)) {
          throw WdsFormatException.malformed(
              reader.shard(),
              m.name(),
              "the key '"
                  + key
                  + "' comes back after other samples; a sample's members must be "
                  + "adjacent to be indexed");
        }
      }
      sample.add(new Member(m.name(), m.offset() + TarStream.BLOCK, m.size()));
    }
    index.add(sample);
    return index;
  }

  /** The name of the index of the shard named {@code shard}. */
  public static String nameOf(String shard) {
    return shard + SUFFIX;
  }

  /** The name of the shard whose index is named {@code index}. */
  public static String shardOf(String index) {
    return index.substring(0, index.length() - SUFFIX.length());
  }

  /** Whether {@code objectName} is named as an index is: such objects are never read as shards. */
  public static boolean isIndex(String objectName) {
    return objectName.endsWith(SUFFIX);
  }

  /**
   * Adds a sample's members, in archive order. A sample without members is not in the archive, so
   * it is not indexed either.
   */
  public void add(List<Member> members) {
    if (members.isEmpty()) {
      return;
    }
    StringBuilder line = new StringBuilder();
    for (Member m : members) {
      checkName(m.name);
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(extension(m.name))
          .append(' ')
          .append(m.offset)
          .append(' ')
          .append(m.size)
          .append(' ')
          .append(m.name);
    }
    line.append('\n');
    lines.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
    samples++;
  }

  /** The samples indexed so far. */
  public long samples() {
    return samples;
  }

  /**
   * The index file. DALI refuses an index of no sample, so a shard whose samples have no member
   * gets none.
   */
  public byte[] toBytes() {
    if (samples == 0) {
      throw new IllegalStateException("DALI takes no index of a shard without members");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(lines.size() + 32);
    out.writeBytes((VERSION + " " + samples + "\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(lines.toByteArray());
    return out.toByteArray();
  }

  /**
   * Refuses, before anything is written, a column whose members could not be indexed: DALI splits
   * the fields of its index on whitespace, so the extension must have none.
   */
  public static void checkExtension(String extension) {
    if (hasWhitespace(extension)) {
      throw new IllegalArgumentException(
          "Column '"
              + extension
              + "' cannot be indexed: DALI's index separates fields with whitespace, so a member "
              + "extension cannot contain spaces, tabs or line breaks. Rename the column, or write "
              + "without indexes (option shardIndex false).");
    }
  }

  private static void checkName(String name) {
    if (hasWhitespace(name)) {
      throw new IllegalArgumentException(
          "Cannot index the member '"
              + name
              + "': DALI's index separates fields with whitespace, so a member name "
              + "(key or column) cannot contain spaces, tabs or line breaks. Rename it, or write "
              + "without indexes (option shardIndex false).");
    }
  }

  private static boolean hasWhitespace(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (isDaliWhitespace(name.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** What DALI takes for the extension: the file name after its first dot. */
  private static String extension(String name) {
    int dot = name.indexOf('.', name.lastIndexOf('/') + 1);
    if (dot < 0) {
      throw new IllegalArgumentException(
          "Cannot index the member '" + name + "': its file name has no extension");
    }
    return name.substring(dot + 1);
  }

  /** The characters C's isspace() matches, which split the fields of DALI's index. */
  private static boolean isDaliWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
  }
}
