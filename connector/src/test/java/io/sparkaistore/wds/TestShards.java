package io.sparkaistore.wds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;

/**
 * Builds shards for tests, member by member, in the order given. Shared with the integration tests.
 * The bytes depend on nothing but the members: names are UTF-8 whatever the JVM's locale, and every
 * timestamp is fixed.
 */
public final class TestShards {
  /** The modification time of every entry (2024-01-01T00:00:00Z). */
  static final long MTIME_MILLIS = 1_704_067_200_000L;

  private final Map<String, byte[]> members = new LinkedHashMap<>();

  public static TestShards shard() {
    return new TestShards();
  }

  /** A regular file; a name ending in "/" adds a directory entry. */
  public TestShards add(String name, byte[] content) {
    members.put(name, content);
    return this;
  }

  public TestShards add(String name, String content) {
    return add(name, content.getBytes(StandardCharsets.UTF_8));
  }

  public TestShards dir(String name) {
    return add(name.endsWith("/") ? name : name + "/", new byte[0]);
  }

  public byte[] tar() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTar(out);
    return out.toByteArray();
  }

  public byte[] tgz() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
      writeTar(gz);
    }
    return out.toByteArray();
  }

  public byte[] tarLz4() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FramedLZ4CompressorOutputStream lz4 = new FramedLZ4CompressorOutputStream(out)) {
      writeTar(lz4);
    }
    return out.toByteArray();
  }

  /**
   * Deflated entries written as a stream: sizes and CRC-32 follow each entry's data in a data
   * descriptor.
   */
  public byte[] zip() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(m.getKey());
        entry.setTime(MTIME_MILLIS);
        zip.putArchiveEntry(entry);
        zip.write(m.getValue());
        zip.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  /**
   * Stored (uncompressed) entries whose sizes and CRC-32 are in the local headers; with {@code
   * zip64}, every local and central header carries them in a ZIP64 extra field.
   */
  public byte[] zipStored(boolean zip64) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
      zip.setUseZip64(zip64 ? Zip64Mode.Always : Zip64Mode.AsNeeded);
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        ZipArchiveEntry entry = new ZipArchiveEntry(m.getKey());
        entry.setTime(MTIME_MILLIS);
        entry.setMethod(ZipArchiveEntry.STORED);
        entry.setSize(m.getValue().length);
        entry.setCompressedSize(m.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(m.getValue());
        entry.setCrc(crc.getValue());
        zip.putArchiveEntry(entry);
        zip.write(m.getValue());
        zip.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private void writeTar(OutputStream out) throws IOException {
    // UTF-8 names in the ustar fields (as GNU tar writes them in a UTF-8 locale), pax records for
    // long names.
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    for (Map.Entry<String, byte[]> m : members.entrySet()) {
      TarArchiveEntry entry = new TarArchiveEntry(m.getKey());
      entry.setModTime(FileTime.fromMillis(MTIME_MILLIS));
      entry.setUserName(""); // not the name of whoever runs the tests
      entry.setGroupName("");
      entry.setSize(m.getKey().endsWith("/") ? 0 : m.getValue().length);
      tar.putArchiveEntry(entry);
      tar.write(m.getValue());
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.flush();
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
