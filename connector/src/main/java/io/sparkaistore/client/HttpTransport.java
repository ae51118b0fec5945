package io.sparkaistore.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link AisRequest}s: follows AIS's proxy-to-target redirects itself and retries what can be
 * retried.
 *
 * <p>Why the JDK's {@link HttpClient}: AIS's list-objects and GetBatch are GET requests with a JSON
 * body, which the JDK client sends as is (OkHttp refuses a body on GET, {@code HttpURLConnection}
 * turns the request into a POST); it streams bodies both ways without buffering, pools connections,
 * and adds no dependency to a jar that lives on Spark's classpath. Its automatic redirects are off:
 * AIS answers 301/307 with the target's URL, and the client must decide what to resend there (the
 * same headers, Range and Authorization included, and the body, which a large upload never sends to
 * the proxy).
 */
final class HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
  private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 500, 502, 503, 504);
  private static final Set<Integer> REDIRECT_STATUS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_ERROR_BODY = 64 * 1024;
  // One connection pool per connect timeout and TLS setup per JVM: Spark tasks come and go,
  // connections should stay.
  private static final Map<ClientKey, HttpClient> CLIENTS = new ConcurrentHashMap<>();

  static {
    // The JDK client reads response bodies in 16 KiB buffers by default, which holds one stream to
    // a few hundred MB/s; 128 KiB more than doubled it on loopback (BENCHMARKS.md). The JDK reads
    // the property once, when its first client is built, so a value set by the user, or a client
    // built earlier, wins.
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", String.valueOf(128 * 1024));
    }
  }

  private final AisClientConfig config;
  private final HttpClient http;
  private final ClientStats stats;

  HttpTransport(AisClientConfig config, ClientStats stats) {
    this.config = config;
    this.stats = stats;
    ClientKey key = new ClientKey(config.connectTimeout(), config.tls());
    this.http = CLIENTS.computeIfAbsent(key, HttpTransport::newHttpClient);
  }

  private static final class ClientKey {
    private final Duration connectTimeout;
    private final TlsSettings tls;

    ClientKey(Duration connectTimeout, TlsSettings tls) {
      this.connectTimeout = connectTimeout;
      this.tls = tls;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof ClientKey)) {
        return false;
      }
      ClientKey other = (ClientKey) o;
      return other.connectTimeout.equals(connectTimeout) && other.tls.equals(tls);
    }

    @Override
    public int hashCode() {
      return Objects.hash(connectTimeout, tls);
    }
  }

  private static HttpClient newHttpClient(ClientKey key) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(key.connectTimeout);
    if (!key.tls.isDefault()) {
      if (key.tls.skipVerify()) {
        LOG.warn(
            "TLS certificate verification is off (tlsSkipVerify or AIS_SKIP_VERIFY_CRT): any server can "
                + "pose as the AIS cluster; use it for testing only");
      }
      builder.sslContext(key.tls.sslContext());
    }
    return builder.build();
  }

  AisClientConfig config() {
    return config;
  }

  ClientStats stats() {
    return stats;
  }

  /** A fresh retry budget for one request, or one read, from this client's configuration. */
  RetryBudget newBudget() {
    return new RetryBudget(config);
  }

  /** A budget of one attempt: no retry. */
  RetryBudget singleAttempt() {
    return new RetryBudget(1, config.retryTimeout(), config.backoff(), System::nanoTime);
  }

  /**
   * Sends {@code req} and returns the successful (2xx) response, whose body the caller must close.
   * Statuses 429/500/502/503/504 and connection failures are retried with backoff within the retry
   * budget, as long as the body can be sent again; any other error status becomes an {@link
   * AisException}. Failures name the node that failed: the target, after a redirect.
   */
  AisResponse send(AisRequest req) throws AisException {
    return send(req, newBudget());
  }

  /**
   * As {@link #send(AisRequest)}, counting failures against {@code budget}, which the caller may
   * share.
   */
  AisResponse send(AisRequest req, RetryBudget budget) throws AisException {
    URI uri = URI.create(config.endpoint() + req.rawPath + queryPart(req));
    BodyState body = new BodyState();
    while (true) {
      Route route = new Route(uri);
      try {
        HttpResponse<InputStream> response = followRedirects(req, route, body);
        int status = response.statusCode();
        if (status < 300) {
          long timeout = config.readTimeout().toNanos();
          return new AisResponse(
              status,
              response.headers(),
              new TimedInputStream(response.body(), timeout),
              route.hop);
        }
        String error = errorText(response);
        if (RETRYABLE_STATUS.contains(status) && body.canResend() && awaitRetry(req, budget)) {
          LOG.debug("{} at {} answered {}, retrying: {}", req, route.hop, status, error);
          continue;
        }
        if (TlsFailures.isHttpsPortAnswer(response, error)) {
          throw TlsFailures.httpsPort(req, response.uri());
        }
        throw AisException.fromResponse(
            status, error, req.bucket, req.object, route.hop, budget.summary());
      } catch (AisException e) {
        throw e;
      } catch (IOException e) {
        if (isInterruption(e)) {
          throw AisException.failed(
              req + " was interrupted", req.bucket, req.object, route.hop, null, e);
        }
        boolean mayHaveArrived =
            !(e instanceof ConnectException || e instanceof HttpConnectTimeoutException);
        if (body.canResend()
            && !(req.outcomeCheckedBeforeResend && mayHaveArrived)
            && awaitRetry(req, budget)) {
          LOG.debug("{} at {} failed, retrying: {}", req, route.hop, e.toString());
          continue;
        }
        throw AisException.failed(
            req + " failed: " + e, req.bucket, req.object, route.hop, budget.summary(), e);
      }
    }
  }

  /**
   * Sends {@code req} and returns its whole (small) response body. An answer that breaks off is
   * asked for again, within the same budget, when the request may be resent ({@link
   * AisRequest#resendable()}).
   */
  byte[] sendForBytes(AisRequest req) throws AisException {
    return sendForBytes(req, newBudget());
  }

  /** As {@link #sendForBytes(AisRequest)}, within {@code budget}. */
  byte[] sendForBytes(AisRequest req, RetryBudget budget) throws AisException {
    while (true) {
      AisResponse response = send(req, budget);
      try (InputStream in = response.body()) {
        return in.readAllBytes();
      } catch (IOException e) {
        if (!isInterruption(e) && req.resendable() && awaitRetry(req, budget)) {
          LOG.debug(
              "The answer to {} from {} broke off, retrying: {}",
              req,
              response.hop(),
              e.toString());
          continue;
        }
        String why = req.resendable() ? "" : " (not sent again: it may have taken effect)";
        throw AisException.failed(
            "The answer to " + req + " broke off: " + e + why,
            req.bucket,
            req.object,
            response.hop(),
            budget.summary(),
            e);
      }
    }
  }

  /**
   * Counts a failed attempt of {@code req} against {@code budget} and waits before the next one;
   * false when the budget is spent.
   */
  boolean awaitRetry(AisRequest req, RetryBudget budget) throws AisException {
    try {
      if (!budget.awaitRetry()) {
        return false;
      }
    } catch (InterruptedIOException e) {
      throw new AisException("Interrupted while retrying " + req, req.bucket, req.object, e);
    }
    stats.countRetry();
    return true;
  }

  /**
   * Whether {@code e} reports that the thread was interrupted (a task being killed), which ends the
   * request instead of retrying it. A timeout is an {@link InterruptedIOException} too, but a
   * subclass.
   */
  static boolean isInterruption(IOException e) {
    return e.getClass() == InterruptedIOException.class || Thread.currentThread().isInterrupted();
  }

  private HttpResponse<InputStream> followRedirects(AisRequest req, Route route, BodyState body)
      throws IOException {
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      URI target = route.uri;
      boolean withBody = req.body != null && !(req.deferBodyToRedirect && hop == 0);
      if (withBody) {
        body.markSent(req);
      }
      HttpResponse<InputStream> response = exchange(req, newHop(req, target, withBody));
      int status = response.statusCode();
      if (!REDIRECT_STATUS.contains(status)) {
        if (req.deferBodyToRedirect && hop == 0 && status < 300) {
          // The body was held back for the target; an endpoint that is not an AIS proxy stored
          // nothing.
          closeQuietly(response.body());
          throw new AisException(
              req
                  + " was answered "
                  + status
                  + " by "
                  + target.getAuthority()
                  + " without a redirect: the endpoint must be an AIS proxy (gateway), not a target",
              req.bucket,
              req.object,
              null);
        }
        return response;
      }
      String location = response.headers().firstValue("Location").orElse(null);
      closeQuietly(response.body());
      if (location == null) {
        throw new IOException(
            "redirect " + status + " without a Location from " + target.getAuthority());
      }
      if (withBody && !req.body.replayable()) {
        throw new AisException(
            "Redirected again after the upload stream was sent to "
                + target.getAuthority()
                + "; a stream cannot be sent twice",
            req.bucket,
            req.object,
            null);
      }
      URI next = RedirectLocation.resolve(target, location);
      if (config.token() != null
          && "https".equals(target.getScheme())
          && !"https".equals(next.getScheme())) {
        throw new AisException(
            "Refusing to follow a redirect from https to "
                + next.getScheme()
                + " with a bearer token",
            req.bucket,
            req.object,
            null);
      }
      route.redirect(next);
    }
    throw new IOException("more than " + MAX_REDIRECTS + " redirects for " + req);
  }

  /**
   * One hop of {@code req} to {@code target}: the proxy, or the target it redirected to. Every hop
   * carries the same headers (Range among them) and the bearer token.
   */
  HttpRequest newHop(AisRequest req, URI target, boolean withBody) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(target)
            .timeout(config.readTimeout())
            .method(
                req.method, withBody ? req.body.publisher() : HttpRequest.BodyPublishers.noBody());
    req.headers.forEach(builder::header);
    if (config.token() != null) {
      builder.header("Authorization", "Bearer " + config.token());
    }
    return builder.build();
  }

  private HttpResponse<InputStream> exchange(AisRequest req, HttpRequest request)
      throws IOException {
    stats.countRequest();
    long start = System.nanoTime();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (SSLException e) {
      AisException explained = TlsFailures.explain(e, req, request.uri());
      throw explained != null ? explained : e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "interrupted while waiting for " + request.uri().getAuthority());
    } finally {
      stats.countFetchNanos(System.nanoTime() - start);
    }
  }

  /** AIS's error text: in the {@code Hdr-Error} header for HEAD, in the body otherwise. */
  private static String errorText(HttpResponse<InputStream> response) {
    String header = response.headers().firstValue("Hdr-Error").orElse(null);
    try (InputStream in = response.body()) {
      if (header != null) {
        return header;
      }
      return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return header != null ? header : "(error body unreadable: " + e + ")";
    }
  }

  static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // The connection is being abandoned; there is nothing left to read from it.
    }
  }

  private static String queryPart(AisRequest req) {
    String q = req.rawQuery();
    return q.isEmpty() ? "" : "?" + q;
  }

  /** The hop a request is at: where its next exchange goes, and whom a failure is about. */
  private static final class Route {
    URI uri;
    Hop hop;

    Route(URI gateway) {
      uri = gateway;
      hop = new Hop(gateway, false);
    }

    void redirect(URI next) {
      uri = next;
      hop = new Hop(next, true);
    }
  }

  /**
   * Whether a one-shot stream body has been handed to the HTTP client (it cannot be sent again).
   */
  private static final class BodyState {
    private boolean streamSent;

    void markSent(AisRequest req) {
      if (!req.body.replayable()) {
        streamSent = true;
      }
    }

    boolean canResend() {
      return !streamSent;
    }
  }
}
