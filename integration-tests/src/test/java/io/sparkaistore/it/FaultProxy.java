package io.sparkaistore.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A real TCP proxy on loopback in front of an AIS node, for fault tests: it forwards connections
 * byte for byte, and on request answers the next connections with an HTTP error of its own, or cuts
 * the next connection's response after a number of bytes. Those faults apply to new connections, so
 * each test uses its own proxy (a new port means a new connection pool entry in the client). Other
 * faults follow requests instead, on pooled connections too: requests of a given kind fail, or are
 * carried out while their answer is lost.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");
  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final AtomicInteger errorsToInject = new AtomicInteger();
  private volatile int injectedStatus;
  private final AtomicLong cutAfterBytes = new AtomicLong(-1);
  private final AtomicLong stallAfterBytes = new AtomicLong(-1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger connections = new AtomicInteger();
  private final List<RequestRule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger lostAnswers = new AtomicInteger();

  public FaultProxy(URI upstreamNode) throws IOException {
    this.upstream = new InetSocketAddress(upstreamNode.getHost(), upstreamNode.getPort());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The proxy's URL, to use as the client's endpoint. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next {@code count} connections get {@code status} (with an AIS-style JSON error) and are closed. */
  public void failNextConnections(int count, int status) {
    injectedStatus = status;
    errorsToInject.set(count);
  }

  /** The next forwarded connection is cut after {@code bytes} bytes of response. */
  public void cutNextResponseAfter(long bytes) {
    cutAfterBytes.set(bytes);
  }

  /** The next forwarded connection stops sending response bytes after {@code bytes}, but stays open. */
  public void stallNextResponseAfter(long bytes) {
    stallAfterBytes.set(bytes);
  }

  /**
   * The next request whose request line (e.g. {@code POST /v1/objects/b/o?uploadId=x HTTP/1.1}) has a
   * match of {@code regex} gets {@code status} (with an AIS-style JSON error), and its connection is
   * closed; requests before it are forwarded.
   */
  public void failNextRequest(String regex, int status) {
    failRequests(regex, status, 0, 1);
  }

  /** Of the requests that match {@code regex}, the first {@code skip} are forwarded and the next {@code count} fail with {@code status}. */
  public void failRequests(String regex, int status, int skip, int count) {
    rules.add(new RequestRule(Pattern.compile(regex), status, skip, count));
  }

  /**
   * The next request that matches {@code regex} is carried out in AIS (the proxy sends it itself and
   * follows AIS's redirects), but its answer is lost: the client's connection is reset instead. Only
   * for requests whose body goes with the first hop (not a PUT of an object's bytes).
   */
  public void loseAnswerToNextRequest(String regex) {
    rules.add(new RequestRule(Pattern.compile(regex), 0, 0, 1));
  }

  /** Requests carried out whose answers were lost so far. */
  public int lostAnswers() {
    return lostAnswers.get();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        Thread t = new Thread(() -> handle(client), "fault-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      if (errorsToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        answerWithError(client);
        return;
      }
      long cut = cutAfterBytes.getAndSet(-1);
      long stall = stallAfterBytes.getAndSet(-1);
      try (Socket node = new Socket()) {
        node.connect(upstream, 5000);
        Thread up = forwardRequests(client, node);
        pump(node.getInputStream(), client.getOutputStream(), cut >= 0 ? cut : stall, cut >= 0 ? client : null).join();
        if (stall >= 0) {
          closed.await(); // hold the connection open, silent, until the proxy closes
        }
        up.interrupt();
      }
    } catch (IOException | InterruptedException ignored) {
      // A cut or closed connection is the point of this proxy.
    }
  }

  /**
   * Copies {@code in} to {@code out} on a new thread. After {@code limit} bytes (if >= 0) it stops: it
   * resets {@code toCut} when given, else just stops forwarding.
   */
  private static Thread pump(InputStream in, OutputStream out, long limit, Socket toCut) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              long sent = 0;
              try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                  int allowed = limit < 0 ? n : (int) Math.min(n, limit - sent);
                  out.write(buf, 0, allowed);
                  out.flush();
                  sent += allowed;
                  if (limit >= 0 && sent >= limit) {
                    if (toCut != null) {
                      toCut.setSoLinger(true, 0); // an abortive close: the peer sees a reset mid-body
                      toCut.close();
                    }
                    return;
                  }
                }
                out.close();
              } catch (IOException ignored) {
                // The other side went away.
              }
            },
            "fault-proxy-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Forwards the client's requests to the node on a new thread, byte for byte, reading each request's
   * head to see whether it is the one to fail. Bodies are sized by Content-Length; after any other
   * body (chunked) the rest of the connection is copied as it comes.
   */
  private Thread forwardRequests(Socket client, Socket node) {
    Thread t = new Thread(() -> {
      try {
        InputStream in = client.getInputStream();
        OutputStream out = node.getOutputStream();
        for (byte[] head; (head = readHead(in)).length > 0; ) {
          String text = new String(head, StandardCharsets.ISO_8859_1);
          RequestRule rule = ruleFor(text.substring(0, Math.max(0, text.indexOf('\r'))));
          if (rule != null) {
            byte[] body = in.readNBytes((int) Math.max(0, contentLength(text))); // a chunked body is cut short
            if (rule.status == 0) {
              carryOut(text, body);
              lostAnswers.incrementAndGet();
              client.setSoLinger(true, 0); // a reset: the client sees the connection fail, no answer
            } else {
              writeError(client, rule.status);
            }
            client.close();
            return;
          }
          out.write(head);
          long length = contentLength(text);
          if (length < 0) {
            in.transferTo(out);
            return;
          }
          out.write(in.readNBytes((int) length));
          out.flush();
        }
        out.close();
      } catch (IOException ignored) {
        // The other side went away.
      }
    }, "fault-proxy-requests");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The rule that takes this request, if any; each takes its share of matching requests in turn. */
  private RequestRule ruleFor(String requestLine) {
    for (RequestRule rule : rules) {
      if (rule.takes(requestLine)) {
        return rule;
      }
    }
    return null;
  }

  /** Sends the request to the node as the client would, following AIS's redirects, and drops the answer. */
  private void carryOut(String head, byte[] body) throws IOException {
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    URI target = URI.create("http://" + upstream.getHostString() + ":" + upstream.getPort() + requestLine[1]);
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    try {
      for (int hop = 0; hop < 5; hop++) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
            .method(requestLine[0], HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          String name = colon < 0 ? "" : lines[i].substring(0, colon).strip();
          if (!name.isEmpty() && !RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            request.header(name, lines[i].substring(colon + 1).strip());
          }
        }
        HttpResponse<Void> answer = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        String location = answer.headers().firstValue("Location").orElse(null);
        if (answer.statusCode() / 100 != 3 || location == null) {
          return;
        }
        target = target.resolve(location);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Which requests a rule takes: it lets the first {@code skip} matches pass, then takes {@code count}. */
  private static final class RequestRule {
    final Pattern pattern;
    final int status; // 0: carry the request out and lose the answer
    private int skip;
    private int count;

    RequestRule(Pattern pattern, int status, int skip, int count) {
      this.pattern = pattern;
      this.status = status;
      this.skip = skip;
      this.count = count;
    }

    synchronized boolean takes(String requestLine) {
      if (count == 0 || !pattern.matcher(requestLine).find()) {
        return false;
      }
      if (skip > 0) {
        skip--;
        return false;
      }
      count--;
      return true;
    }
  }

  /** A request's head, up to and including the blank line; empty at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    for (int c; matched < 4 && (c = in.read()) >= 0; ) {
      head.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  /** The Content-Length of a request head; 0 without a body, -1 for a chunked body. */
  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        return Long.parseLong(line.substring(15).strip());
      }
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        return -1;
      }
    }
    return 0;
  }

  private void answerWithError(Socket client) throws IOException {
    String head = new String(readHead(client.getInputStream()), StandardCharsets.ISO_8859_1);
    client.getInputStream().readNBytes((int) Math.max(0, contentLength(head)));
    writeError(client, injectedStatus);
  }

  private static void writeError(Socket client, int status) throws IOException {
    String body = "{\"message\":\"injected by FaultProxy\",\"status\":" + status + "}";
    String response = "HTTP/1.1 " + status + " Injected\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
    client.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
    client.getOutputStream().flush();
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    server.close();
  }
}
