package io.sparkaistore.wds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;

/** Builds shards for tests, member by member, in the order given. Shared with the integration tests. */
public final class TestShards {
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

  public byte[] zip() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        zip.putArchiveEntry(new ZipArchiveEntry(m.getKey()));
        zip.write(m.getValue());
        zip.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private void writeTar(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    for (Map.Entry<String, byte[]> m : members.entrySet()) {
      TarArchiveEntry entry = new TarArchiveEntry(m.getKey());
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
