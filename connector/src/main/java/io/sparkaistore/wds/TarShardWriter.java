package io.sparkaistore.wds;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Writes WebDataset samples into one shard, byte for byte reproducibly: every member is {@code
 * <key>.<extension>}, a sample's members follow in extension order, and every header field that
 * could vary (time, owner, mode) is fixed. Long names use POSIX (PAX) headers, which the {@code
 * webdataset} library and AIS read.
 */
public final class TarShardWriter implements Closeable {
  /**
   * Header fields of every member: the values the webdataset library's TarWriter uses, at time
   * zero.
   */
  static final String OWNER = "bigdata";

  static final int MODE = 0444;

  private final TarArchiveOutputStream tar;
  private final DaliIndex index; // null unless asked for
  private long samples;

  private TarShardWriter(TarArchiveOutputStream tar, DaliIndex index) {
    this.tar = tar;
    this.index = index;
  }

  /** A plain {@code .tar} shard written to {@code out}. */
  public static TarShardWriter tar(OutputStream out) {
    return new TarShardWriter(newTar(out), null);
  }

  /**
   * A plain {@code .tar} shard written to {@code out}, indexed as it is written: see {@link
   * #index()}.
   */
  public static TarShardWriter indexedTar(OutputStream out) {
    return new TarShardWriter(newTar(out), new DaliIndex());
  }

  /**
   * A {@code .tar.gz} shard; the gzip header carries no time or name, so the bytes stay
   * reproducible.
   */
  public static TarShardWriter tarGz(OutputStream out) throws IOException {
    GzipParameters parameters = new GzipParameters();
    parameters.setModificationTime(0);
    return new TarShardWriter(newTar(new GzipCompressorOutputStream(out, parameters)), null);
  }

  private static TarArchiveOutputStream newTar(OutputStream out) {
    // 512-byte blocks: the archive ends right after its two end-of-archive records, so its size is
    // at most what tarSize() adds up plus TRAILER (exactly, unless a name needs a PAX header).
    TarArchiveOutputStream tar =
        new TarArchiveOutputStream(out, 512, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    return tar;
  }

  /** The end-of-archive records. */
  public static final int TRAILER = 1024;

  /**
   * The bytes a sample takes in an uncompressed tar: a header and padded content per member, plus
   * an extended (PAX) header where the name does not fit the classic header.
   */
  public static long tarSize(String key, Map<String, byte[]> members) {
    long size = 0;
    for (Map.Entry<String, byte[]> m : members.entrySet()) {
      String name = key + "." + m.getKey();
      boolean pax =
          name.getBytes(StandardCharsets.UTF_8).length >= 100
              || !StandardCharsets.US_ASCII.newEncoder().canEncode(name);
      size +=
          (pax ? 512 + (paxRecordSize(name) + 511L) / 512 * 512 : 0)
              + 512
              + (m.getValue().length + 511L) / 512 * 512;
    }
    return size;
  }

  /** Upper bound of the PAX "path" record for {@code name}: "NN path=<name>\n". */
  private static long paxRecordSize(String name) {
    return name.getBytes(StandardCharsets.UTF_8).length + 16L;
  }

  /** Writes one sample: {@code members} maps extension to content, written in extension order. */
  public void write(String key, SortedMap<String, byte[]> members) throws IOException {
    List<DaliIndex.Member> indexed = new ArrayList<>(members.size());
    for (Map.Entry<String, byte[]> m : members.entrySet()) {
      String name = key + "." + m.getKey();
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(m.getValue().length);
      entry.setMode(MODE);
      entry.setModTime(0);
      entry.setUserName(OWNER);
      entry.setGroupName(OWNER);
      tar.putArchiveEntry(entry);
      // The headers are out (the archive's blocks are 512 bytes, never held back): the data starts
      // here.
      indexed.add(new DaliIndex.Member(name, tar.getBytesWritten(), m.getValue().length));
      tar.write(m.getValue());
      tar.closeArchiveEntry();
    }
    if (index != null) {
      index.add(indexed);
    }
    samples++;
  }

  /** The index of what was written, for a writer made by {@link #indexedTar}; else null. */
  public DaliIndex index() {
    return index;
  }

  public long samples() {
    return samples;
  }

  /** Ends the archive (and the compression, whose trailer this writes) and closes the output. */
  @Override
  public void close() throws IOException {
    tar.close();
  }
}
