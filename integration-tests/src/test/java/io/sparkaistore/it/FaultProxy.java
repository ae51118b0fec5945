package io.sparkaistore.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A real TCP proxy on loopback in front of an AIS node, for fault tests. It forwards requests byte
 * for byte and reads the responses as HTTP, so that it can rewrite where redirects point and cut a
 * response inside its body. On request it answers the next connections with an HTTP error of its
 * own, or cuts the next connection's response after a number of bytes. Those faults apply to new
 * connections, so each test uses its own proxy (a new port means a new connection pool entry in the
 * client). Some faults follow requests instead, on pooled connections too: requests of a given kind
 * fail, are carried out while their answer is lost, or have their answer cut, and, in {@link
 * #randomFaults random mode}, any request or connection fails. It counts the response bytes it
 * sends on, to show how much a client fetched.
 */
public final class FaultProxy implements AutoCloseable {
  /**
   * Told to the response pump for a request whose body is not sized: from there on, bytes are
   * copied as they come.
   */
  private static final String RAW = "(raw)";

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
  private volatile Map<String, String> locationRewrites = Map.of();
  private volatile RandomFaults random;
  private final AtomicInteger errorsInjected = new AtomicInteger();
  private final AtomicInteger cutsMade = new AtomicInteger();
  private final List<CutRule> cutRules = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesToClients = new AtomicLong();

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

  /**
   * The next {@code count} connections get {@code status} (with an AIS-style JSON error) and are
   * closed.
   */
  public void failNextConnections(int count, int status) {
    injectedStatus = status;
    errorsToInject.set(count);
  }

  /** The next forwarded connection is cut after {@code bytes} bytes of response. */
  public void cutNextResponseAfter(long bytes) {
    cutAfterBytes.set(bytes);
  }

  /**
   * The next forwarded connection stops sending response bytes after {@code bytes}, but stays open.
   */
  public void stallNextResponseAfter(long bytes) {
    stallAfterBytes.set(bytes);
  }

  /**
   * The next request whose request line (e.g. {@code POST /v1/objects/b/o?uploadId=x HTTP/1.1}) has
   * a match of {@code regex} gets {@code status} (with an AIS-style JSON error), and its connection
   * is closed; requests before it are forwarded.
   */
  public void failNextRequest(String regex, int status) {
    failRequests(regex, status, 0, 1);
  }

  /**
   * Of the requests that match {@code regex}, the first {@code skip} are forwarded and the next
   * {@code count} fail with {@code status}.
   */
  public void failRequests(String regex, int status, int skip, int count) {
    rules.add(new RequestRule(Pattern.compile(regex), status, skip, count));
  }

  /**
   * The next request that matches {@code regex} is carried out in AIS (the proxy sends it itself
   * and follows AIS's redirects), but its answer is lost: the client's connection is reset instead.
   * Only for requests whose body goes with the first hop (not a PUT of an object's bytes).
   */
  public void loseAnswerToNextRequest(String regex) {
    rules.add(new RequestRule(Pattern.compile(regex), 0, 0, 1));
  }

  /**
   * The response to the next request whose request line has a match of {@code regex} is cut, with a
   * reset, after {@code bodyBytes} bytes of its body; requests before it are answered whole.
   */
  public void cutResponseToNextRequest(String regex, long bodyBytes) {
    cutRules.add(new CutRule(Pattern.compile(regex), bodyBytes));
  }

  /** Response bytes (heads and bodies) sent on to clients so far: what a client fetched. */
  public long bytesToClients() {
    return bytesToClients.get();
  }

  /** Requests carried out whose answers were lost so far. */
  public int lostAnswers() {
    return lostAnswers.get();
  }

  /**
   * Redirects ({@code 3xx}) whose {@code Location} names a {@code host:port} key of {@code
   * rewrites} are sent on naming its value instead: how a client that follows AIS's redirects to
   * targets is made to reach them through their own proxies.
   */
  public void rewriteLocations(Map<String, String> rewrites) {
    locationRewrites = Map.copyOf(rewrites);
  }

  /**
   * From now on each request is answered {@code status} (and its connection closed) with
   * probability {@code errorRate}, and each new connection has a response cut, with a reset, with
   * probability {@code cutRate}: its first response, inside its body, or inside its head when it
   * has none; with {@code spareBodiless}, the first response that has a body. Sparing answers
   * without a body spares the requests whose effect would be lost with their answer (a rename, a
   * completion). The draws come from {@code seed}.
   */
  public void randomFaults(
      long seed, double errorRate, int status, double cutRate, boolean spareBodiless) {
    injectedStatus = status;
    random = new RandomFaults(new Random(seed), errorRate, cutRate, spareBodiless);
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Requests and connections answered with an injected error status so far. */
  public int errorsInjected() {
    return errorsInjected.get();
  }

  /** Responses cut (with a reset) so far. */
  public int cuts() {
    return cutsMade.get();
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
      RandomFaults faults = random;
      Downstream down =
          new Downstream(
              client,
              cutAfterBytes.getAndSet(-1),
              stallAfterBytes.getAndSet(-1),
              faults != null && faults.cutConnection());
      try (Socket node = new Socket()) {
        node.connect(upstream, 5000);
        // Heads and bodies go out in separate writes: without this, Nagle's algorithm holds each
        // second write until the peer's delayed ACK, 40 ms per response.
        node.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
        BlockingQueue<Forwarded> methods = new LinkedBlockingQueue<>();
        Thread up = forwardRequests(client, node, methods);
        Thread responses = pumpResponses(node, down, methods);
        responses.join();
        if (down.stalled) {
          closed.await(); // hold the connection open, silent, until the proxy closes
        }
        up.interrupt();
      }
    } catch (IOException | InterruptedException ignored) {
      // A cut or closed connection is the point of this proxy.
    }
  }

  /** The client's side of a connection: where responses go, and where they are cut or stalled. */
  private final class Downstream {
    final Socket socket;
    final OutputStream out;
    long limit; // response bytes allowed through before the cut or stall; -1: no limit
    final boolean stall;
    boolean cutNextResponse;
    long written;
    boolean stalled;

    Downstream(Socket socket, long cut, long stall, boolean cutNextResponse) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.limit = cut >= 0 ? cut : stall;
      this.stall = cut < 0 && stall >= 0;
      this.cutNextResponse = cutNextResponse;
    }

    /**
     * A response of a {@code head} and a body of {@code length} bytes (-1: unknown) starts: a
     * connection picked for a cut gets it inside the body, or inside the head when there is no body
     * (the request reached the node, the answer is lost).
     */
    void responseStarts(int head, long length, RandomFaults random) {
      if (cutNextResponse && (length != 0 || !random.spareBodiless)) {
        cutNextResponse = false;
        long span = length == 0 ? head - 1 : length > 1 ? length - 1 : 8192;
        limit = written + (length == 0 ? 0 : head) + 1 + (long) (random.draw() * span);
      }
    }

    /** The response whose {@code head} is about to be written is cut after {@code bodyBytes}. */
    void cutAfterBody(int head, long bodyBytes) {
      limit = written + head + bodyBytes;
    }

    /** Writes what the limit allows; false once the response is cut or stalled. */
    boolean write(byte[] buf, int off, int len) throws IOException {
      int allowed = limit < 0 ? len : (int) Math.min(len, limit - written);
      out.write(buf, off, allowed);
      out.flush();
      written += allowed;
      bytesToClients.addAndGet(allowed);
      if (limit < 0 || written < limit) {
        return true;
      }
      if (stall) {
        stalled = true;
      } else {
        cutsMade.incrementAndGet();
        socket.setSoLinger(true, 0); // an abortive close: the peer sees a reset mid-body
        socket.close();
      }
      return false;
    }
  }

  /**
   * Copies the node's responses to the client on a new thread, one per request forwarded (whose
   * method says whether a body follows), rewriting redirects and cutting where the client's side
   * says.
   */
  private Thread pumpResponses(Socket node, Downstream down, BlockingQueue<Forwarded> methods) {
    Thread t =
        new Thread(
            () -> {
              try {
                InputStream in = new BufferedInputStream(node.getInputStream(), 64 * 1024);
                for (byte[] head = readHead(in); head.length > 0; head = readHead(in)) {
                  String text = new String(head, StandardCharsets.ISO_8859_1);
                  int status = Integer.parseInt(text.substring(9, 12));
                  // 1xx: more to come.
                  Forwarded request = status < 200 ? null : methods.poll(1, TimeUnit.MINUTES);
                  String method = request == null ? null : request.method;
                  if (RAW.equals(method)) {
                    down.write(head, 0, head.length);
                    copy(in, down, -1);
                    return;
                  }
                  byte[] out =
                      status / 100 == 3
                          ? rewriteLocation(text).getBytes(StandardCharsets.ISO_8859_1)
                          : head;
                  RandomFaults faults = random;
                  if (status >= 200 && faults != null) {
                    down.responseStarts(out.length, bodyLength(text, status, method), faults);
                  }
                  if (request != null && request.cutAfterBody >= 0) {
                    down.cutAfterBody(out.length, request.cutAfterBody);
                  }
                  if (!down.write(out, 0, out.length)
                      || !copyBody(in, down, text, status, method)) {
                    return;
                  }
                }
                down.out.close();
              } catch (IOException | InterruptedException | RuntimeException ignored) {
                // The other side went away.
              }
            },
            "fault-proxy-responses");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * The length of a response's body as HTTP/1.1 frames it: -1 when chunked or up to the end of the
   * stream.
   */
  private static long bodyLength(String head, int status, String method) {
    if ("HEAD".equals(method) || status < 200 || status == 204 || status == 304) {
      return 0;
    }
    String chunked = header(head, "transfer-encoding");
    String length = header(head, "content-length");
    if ((chunked != null && chunked.toLowerCase(Locale.ROOT).contains("chunked"))
        || length == null) {
      return -1;
    }
    return Long.parseLong(length.strip());
  }

  /** Copies one response body; false once the connection is cut or done. */
  private static boolean copyBody(
      InputStream in, Downstream down, String head, int status, String method) throws IOException {
    long length = bodyLength(head, status, method);
    if (length >= 0) {
      return copy(in, down, length);
    }
    String chunked = header(head, "transfer-encoding");
    if (chunked != null && chunked.toLowerCase(Locale.ROOT).contains("chunked")) {
      return copyChunked(in, down);
    }
    copy(in, down, -1);
    return false;
  }

  private static boolean copyChunked(InputStream in, Downstream down) throws IOException {
    while (true) {
      byte[] line = readLine(in);
      if (!down.write(line, 0, line.length)) {
        return false;
      }
      String size = new String(line, StandardCharsets.ISO_8859_1).strip();
      int semicolon = size.indexOf(';');
      long n = Long.parseLong(semicolon >= 0 ? size.substring(0, semicolon) : size, 16);
      if (n == 0) {
        for (byte[] trailer = readLine(in); trailer.length > 2; trailer = readLine(in)) {
          if (!down.write(trailer, 0, trailer.length)) {
            return false;
          }
        }
        return down.write(new byte[] {'\r', '\n'}, 0, 2);
      }
      if (!copy(in, down, n + 2)) { // the data and its CRLF
        return false;
      }
    }
  }

  /**
   * Copies {@code n} bytes (-1: to the end of the stream); false once the connection is cut or
   * done.
   */
  private static boolean copy(InputStream in, Downstream down, long n) throws IOException {
    byte[] buf = new byte[16 * 1024];
    long left = n;
    while (n < 0 || left > 0) {
      int r = in.read(buf, 0, n < 0 ? buf.length : (int) Math.min(buf.length, left));
      if (r < 0) {
        return false;
      }
      if (!down.write(buf, 0, r)) {
        return false;
      }
      left -= r;
    }
    return true;
  }

  private String rewriteLocation(String head) {
    StringBuilder out = new StringBuilder();
    for (String line : head.split("\r\n", -1)) {
      if (line.toLowerCase(Locale.ROOT).startsWith("location:")) {
        for (Map.Entry<String, String> r : locationRewrites.entrySet()) {
          line = line.replace("//" + r.getKey() + "/", "//" + r.getValue() + "/");
        }
      }
      out.append(line).append("\r\n");
    }
    return out.substring(0, out.length() - 2);
  }

  /**
   * Forwards the client's requests to the node on a new thread, byte for byte, reading each
   * request's head to see whether it is one to fail, and telling the response pump each request's
   * method. Bodies are sized by Content-Length; after any other body (chunked) the rest of the
   * connection is copied as it comes.
   */
  private Thread forwardRequests(Socket client, Socket node, BlockingQueue<Forwarded> methods) {
    Thread t =
        new Thread(
            () -> {
              try {
                InputStream in = new BufferedInputStream(client.getInputStream(), 64 * 1024);
                OutputStream out = node.getOutputStream();
                for (byte[] head = readHead(in); head.length > 0; head = readHead(in)) {
                  String text = new String(head, StandardCharsets.ISO_8859_1);
                  long length = contentLength(text);
                  String requestLine = text.substring(0, Math.max(0, text.indexOf('\r')));
                  RequestRule rule = ruleFor(requestLine);
                  RandomFaults faults = random;
                  if (rule != null || (faults != null && faults.failRequest())) {
                    byte[] body =
                        in.readNBytes(
                            (int)
                                // A chunked body is cut short with the connection.
                                Math.max(0, length));
                    if (rule != null && rule.status == 0) {
                      carryOut(text, body);
                      lostAnswers.incrementAndGet();
                      // A reset: the client sees the connection fail, no answer.
                      client.setSoLinger(true, 0);
                    } else {
                      writeError(client, rule != null ? rule.status : injectedStatus);
                    }
                    client.close();
                    // Ends the response pump, which waits for an answer that will not come.
                    node.close();
                    return;
                  }
                  methods.add(
                      new Forwarded(
                          length < 0 ? RAW : text.substring(0, text.indexOf(' ')),
                          cutFor(requestLine)));
                  out.write(head);
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
            },
            "fault-proxy-requests");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * The rule that takes this request, if any; each takes its share of matching requests in turn.
   */
  private RequestRule ruleFor(String requestLine) {
    for (RequestRule rule : rules) {
      if (rule.takes(requestLine)) {
        return rule;
      }
    }
    return null;
  }

  /** Where to cut the response to this request: after that many body bytes, or -1 (no cut). */
  private long cutFor(String requestLine) {
    for (CutRule rule : cutRules) {
      if (rule.pattern.matcher(requestLine).find() && rule.taken.compareAndSet(false, true)) {
        return rule.bodyBytes;
      }
    }
    return -1;
  }

  /**
   * Sends the request to the node as the client would, following AIS's redirects, and drops the
   * answer.
   */
  private void carryOut(String head, byte[] body) throws IOException {
    String[] lines = head.split("\r\n", -1);
    String[] requestLine = lines[0].split(" ", -1);
    URI target =
        URI.create(
            "http://" + upstream.getHostString() + ":" + upstream.getPort() + requestLine[1]);
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    try {
      for (int hop = 0; hop < 5; hop++) {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(target)
                .method(requestLine[0], HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          String name = colon < 0 ? "" : lines[i].substring(0, colon).strip();
          if (!name.isEmpty() && !RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            request.header(name, lines[i].substring(colon + 1).strip());
          }
        }
        HttpResponse<Void> answer =
            http.send(request.build(), HttpResponse.BodyHandlers.discarding());
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

  /**
   * Which requests a rule takes: it lets the first {@code skip} matches pass, then takes {@code
   * count}.
   */
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

  /** A response to come whose body is cut after {@code bodyBytes} bytes. */
  private static final class CutRule {
    final Pattern pattern;
    final long bodyBytes;
    final AtomicBoolean taken = new AtomicBoolean();

    CutRule(Pattern pattern, long bodyBytes) {
      this.pattern = pattern;
      this.bodyBytes = bodyBytes;
    }
  }

  /**
   * A request forwarded, as the response pump needs it: its method ({@link #RAW} for an unsized
   * body) and where to cut its response (-1: nowhere).
   */
  private static final class Forwarded {
    final String method;
    final long cutAfterBody;

    Forwarded(String method, long cutAfterBody) {
      this.method = method;
      this.cutAfterBody = cutAfterBody;
    }
  }

  /** A head, up to and including the blank line; empty at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    for (int c; matched < 4 && (c = in.read()) >= 0; ) {
      head.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  /** One line, with its CRLF. */
  private static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c, last = -1; (c = in.read()) >= 0; last = c) {
      line.write(c);
      if (last == '\r' && c == '\n') {
        return line.toByteArray();
      }
    }
    throw new IOException("the stream ended inside a line");
  }

  /** The value of a header of a head, or null. */
  private static String header(String head, String name) {
    for (String line : head.split("\r\n", -1)) {
      if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
        return line.substring(name.length() + 1).strip();
      }
    }
    return null;
  }

  /** The Content-Length of a request head; 0 without a body, -1 for a chunked body. */
  private static long contentLength(String head) {
    String chunked = header(head, "transfer-encoding");
    if (chunked != null && chunked.toLowerCase(Locale.ROOT).contains("chunked")) {
      return -1;
    }
    String length = header(head, "content-length");
    return length == null ? 0 : Long.parseLong(length);
  }

  private void answerWithError(Socket client) throws IOException {
    String head = new String(readHead(client.getInputStream()), StandardCharsets.ISO_8859_1);
    client.getInputStream().readNBytes((int) Math.max(0, contentLength(head)));
    writeError(client, injectedStatus);
  }

  private void writeError(Socket client, int status) throws IOException {
    errorsInjected.incrementAndGet();
    String body = "{\"message\":\"injected by FaultProxy\",\"status\":" + status + "}";
    String response =
        "HTTP/1.1 "
            + status
            + " Injected\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body;
    client.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
    client.getOutputStream().flush();
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    server.close();
  }

  /** Seeded draws of which requests fail, which connections are cut, and where. */
  private static final class RandomFaults {
    final Random random;
    final double errorRate;
    final double cutRate;
    final boolean spareBodiless;

    RandomFaults(Random random, double errorRate, double cutRate, boolean spareBodiless) {
      this.random = random;
      this.errorRate = errorRate;
      this.cutRate = cutRate;
      this.spareBodiless = spareBodiless;
    }

    synchronized double draw() {
      return random.nextDouble();
    }

    synchronized boolean failRequest() {
      return random.nextDouble() < errorRate;
    }

    synchronized boolean cutConnection() {
      return random.nextDouble() < cutRate;
    }
  }
}
