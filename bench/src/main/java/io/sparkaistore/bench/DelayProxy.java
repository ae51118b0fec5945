package io.sparkaistore.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Adds a one-way delay to every byte crossing it, both ways, without limiting bandwidth: what
 * {@code tc netem delay} does, in user space, for kernels without the netem queueing discipline.
 * Each direction reads what arrives, stamps it, and a second thread forwards it once its delay is
 * up.
 */
final class DelayProxy {
  private DelayProxy() {}

  static void serve(Map<String, String> a) throws IOException {
    String[] upstream = a.get("upstream").split(":", -1);
    InetSocketAddress to = new InetSocketAddress(upstream[0], Integer.parseInt(upstream[1]));
    long delayNanos = (long) (Double.parseDouble(a.get("delayMs")) * 1_000_000);
    try (ServerSocket server =
        new ServerSocket(Integer.parseInt(a.get("port")), 64, InetAddress.getLoopbackAddress())) {
      System.out.println("READY");
      while (true) {
        Socket client = server.accept();
        Socket node = new Socket();
        node.connect(to);
        client.setTcpNoDelay(true);
        node.setTcpNoDelay(true);
        delayed(client.getInputStream(), node.getOutputStream(), delayNanos);
        delayed(node.getInputStream(), client.getOutputStream(), delayNanos);
      }
    }
  }

  private static final class Chunk {
    final long due;
    final byte[] bytes;

    Chunk(long due, byte[] bytes) {
      this.due = due;
      this.bytes = bytes;
    }
  }

  private static void delayed(InputStream in, OutputStream out, long delayNanos) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              byte[] buf = new byte[64 << 10];
              try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                  queue.put(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
                }
              } catch (IOException | InterruptedException ignored) {
                // connection closed
              }
              queue.add(new Chunk(System.nanoTime() + delayNanos, null));
            });
    Thread writer =
        new Thread(
            () -> {
              try {
                while (true) {
                  Chunk c = queue.take();
                  long wait = c.due - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                  }
                  if (c.bytes == null) {
                    out.close();
                    return;
                  }
                  out.write(c.bytes);
                  out.flush();
                }
              } catch (IOException | InterruptedException ignored) {
                // connection closed
              }
            });
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }
}
