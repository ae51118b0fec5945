package io.sparkaistore.wds;

import static io.sparkaistore.wds.TestShards.shard;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ShardReaderTest {
  private static final TestShards SHARD =
      shard().add("k1.txt", "one").add("k1.cls", "1").add("k2.txt", "two");

  private static byte[] bytes(ShardFormat format) throws IOException {
    return switch (format) {
      case TAR -> SHARD.tar();
      case TAR_GZ -> SHARD.tgz();
      case TAR_LZ4 -> SHARD.tarLz4();
      default -> SHARD.zip();
    };
  }

  @ParameterizedTest
  @EnumSource(ShardFormat.class)
  void everyFormatIsDetectedByContentAndStreamed(ShardFormat format) throws Exception {
    try (ShardReader r = ShardReader.open(new ByteArrayInputStream(bytes(format)), "s")) {
      assertEquals(format, r.format());
      ShardMember m = r.next();
      assertEquals("k1.txt", m.name());
      assertArrayEquals(TestShards.utf8("one"), m.content().readAllBytes());
      assertEquals("k1.cls", r.next().name()); // content left unread is skipped
      assertArrayEquals(TestShards.utf8("two"), r.next().content().readAllBytes());
      assertNull(r.next());
    }
  }

  @Test
  void nonArchiveIsACorruptShard() {
    WdsFormatException e =
        assertThrows(
            WdsFormatException.class,
            () ->
                ShardReader.open(
                    new ByteArrayInputStream("{\"index\": true}".getBytes(UTF_8)),
                    "ais://b/index.json"));
    assertTrue(e.isCorruptShard());
    assertTrue(e.getMessage().startsWith("Shard ais://b/index.json: not a shard"), e.getMessage());
  }

  @Test
  void emptyObjectIsACorruptShard() {
    assertTrue(
        assertThrows(
                WdsFormatException.class,
                () -> ShardReader.open(InputStream.nullInputStream(), "e"))
            .isCorruptShard());
  }

  @Test
  void truncatedTarFailsNamingTheMember() throws Exception {
    byte[] full = shard().add("a.bin", new byte[5000]).add("b.bin", new byte[5000]).tar();
    byte[] truncated = Arrays.copyOf(full, 512 + 2000);
    try (ShardReader r = ShardReader.open(new ByteArrayInputStream(truncated), "t.tar")) {
      ShardMember a = r.next();
      WdsFormatException e =
          assertThrows(WdsFormatException.class, () -> a.content().readAllBytes());
      assertTrue(e.isCorruptShard());
      assertEquals("a.bin", e.member());
    }
  }

  @Test
  void failureOfTheSourceIsNotCorruption() throws Exception {
    IOException network = new IOException("connection reset");
    InputStream failing =
        new InputStream() {
          private int served;

          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (served == 1024) {
              throw network;
            }
            int n = Math.min(len, 1024 - served); // zeros
            Arrays.fill(b, off, off + n, (byte) 0);
            served += n;
            return n;
          }
        };
    byte[] head = shard().add("a.bin", new byte[4096]).tar();
    InputStream source =
        new java.io.SequenceInputStream(new ByteArrayInputStream(head, 0, 512), failing);
    try (ShardReader r = ShardReader.open(source, "s")) {
      ShardMember a = r.next();
      assertEquals(network, assertThrows(IOException.class, () -> a.content().readAllBytes()));
    }
  }
}
