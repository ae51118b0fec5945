package io.sparkaistore.client;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to reach an AIS cluster: the gateway endpoint, an optional AuthN token, TLS settings,
 * timeouts and the retry policy. Immutable and serializable (Spark ships it to executors, with the
 * text of the TLS files it names); the token and the client key never appear in {@link
 * #toString()}.
 */
public final class AisClientConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Used when neither an endpoint option nor {@code AIS_ENDPOINT} is given. */
  public static final String DEFAULT_ENDPOINT = "http://localhost:8080";

  // The client's defaults; the source's options (connectTimeout, readTimeout, ...) take theirs from
  // here.
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_ATTEMPTS = 30;
  public static final Duration DEFAULT_RETRY_TIMEOUT = Duration.ofSeconds(45);
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(5);

  public static final String ENV_ENDPOINT = "AIS_ENDPOINT";
  public static final String ENV_TOKEN = "AIS_AUTHN_TOKEN";
  public static final String ENV_TOKEN_FILE = "AIS_AUTHN_TOKEN_FILE";
  public static final String ENV_CLIENT_CA = "AIS_CLIENT_CA";
  public static final String ENV_SKIP_VERIFY = "AIS_SKIP_VERIFY_CRT";
  public static final String ENV_CLIENT_CERT = "AIS_CRT";
  public static final String ENV_CLIENT_KEY = "AIS_CRT_KEY";
  // What AIS's cos.ParseBool and the Python SDK's parse_bool take for true; anything else is false.
  private static final Set<String> TRUE = Set.of("1", "t", "true", "y", "yes", "on");

  private final URI endpoint;
  private final String token;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxAttempts;
  private final Duration retryTimeout;
  private final Backoff backoff;
  private final TlsSettings tls;

  private AisClientConfig(Builder b) {
    this.endpoint = b.endpoint;
    this.token = b.token;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.maxAttempts = b.maxAttempts;
    this.retryTimeout = b.retryTimeout;
    this.backoff = b.backoff;
    this.tls = TlsSettings.load(b.tlsCaCert, b.tlsSkipVerify, b.tlsClientCert, b.tlsClientKey);
  }

  public static Builder builder(String endpoint) {
    return new Builder(endpoint);
  }

  /**
   * The endpoint from {@code AIS_ENDPOINT} (else {@value #DEFAULT_ENDPOINT}), the token from {@code
   * AIS_AUTHN_TOKEN} or the file named by {@code AIS_AUTHN_TOKEN_FILE}, and TLS from {@code
   * AIS_CLIENT_CA}, {@code AIS_SKIP_VERIFY_CRT}, {@code AIS_CRT} and {@code AIS_CRT_KEY}, as AIS's
   * own CLI and SDKs read them.
   */
  public static Builder fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** As {@link #fromEnvironment()}, with the given environment variables. */
  public static Builder fromEnvironment(Map<String, String> env) {
    return builder(endpointFromEnvironment(env))
        .token(tokenFromEnvironment(env))
        .tlsCaCert(env.get(ENV_CLIENT_CA))
        .tlsSkipVerify(skipVerifyFromEnvironment(env))
        .tlsClientCert(env.get(ENV_CLIENT_CERT), env.get(ENV_CLIENT_KEY));
  }

  /** {@code AIS_SKIP_VERIFY_CRT} as AIS reads it: 1, t, true, y, yes or on (any case) is true. */
  public static boolean skipVerifyFromEnvironment(Map<String, String> env) {
    return TRUE.contains(env.getOrDefault(ENV_SKIP_VERIFY, "").strip().toLowerCase(Locale.ROOT));
  }

  /** {@code AIS_ENDPOINT}, else {@value #DEFAULT_ENDPOINT}. */
  public static String endpointFromEnvironment(Map<String, String> env) {
    String endpoint = env.getOrDefault(ENV_ENDPOINT, "");
    return endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint;
  }

  /**
   * The token from {@code AIS_AUTHN_TOKEN}, else from the file at {@code AIS_AUTHN_TOKEN_FILE},
   * else null.
   */
  public static String tokenFromEnvironment(Map<String, String> env) {
    String token = env.get(ENV_TOKEN);
    if (token != null && !token.isBlank()) {
      return token.strip();
    }
    String file = env.get(ENV_TOKEN_FILE);
    if (file == null || file.isBlank()) {
      return null;
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the AIS token file named by " + ENV_TOKEN_FILE + " (" + file + ")", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The bearer token, or null. Never log it. */
  String token() {
    return token;
  }

  public boolean hasToken() {
    return token != null;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * How long to wait for a response to start, and for each read of a response body to make
   * progress.
   */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Attempts per request, the first included; 1 disables retries. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * How long after its first failure a request (or a read, after its last progress) is still
   * retried: with the defaults, the longest outage of a node that a job rides out.
   */
  public Duration retryTimeout() {
    return retryTimeout;
  }

  public Backoff backoff() {
    return backoff;
  }

  TlsSettings tls() {
    return tls;
  }

  @Override
  public String toString() {
    return "AisClientConfig[endpoint="
        + endpoint
        + ", token="
        + (token == null ? "none" : "***")
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", maxAttempts="
        + maxAttempts
        + ", retryTimeout="
        + retryTimeout
        + ", "
        + backoff
        + (tls.isDefault() ? "" : ", " + tls)
        + "]";
  }

  /** Builds an {@link AisClientConfig}; every setter validates its argument. */
  public static final class Builder {
    private URI endpoint;
    private String token;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryTimeout = DEFAULT_RETRY_TIMEOUT;
    private Backoff backoff = new Backoff(DEFAULT_RETRY_BACKOFF, DEFAULT_RETRY_MAX_BACKOFF);
    private String tlsCaCert;
    private boolean tlsSkipVerify;
    private String tlsClientCert;
    private String tlsClientKey;

    private Builder(String endpoint) {
      endpoint(endpoint);
    }

    public Builder endpoint(String value) {
      Objects.requireNonNull(value, "endpoint");
      URI uri;
      try {
        uri = URI.create(value.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Invalid AIS endpoint '" + value + "': " + e.getMessage(), e);
      }
      if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "Invalid AIS endpoint '"
                + value
                + "': expected http(s)://host:port, e.g. "
                + DEFAULT_ENDPOINT);
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
      this.endpoint = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
      return this;
    }

    /** The AuthN bearer token; null or blank means none. */
    public Builder token(String value) {
      this.token = value == null || value.isBlank() ? null : value.strip();
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive("connectTimeout", value);
      return this;
    }

    public Builder readTimeout(Duration value) {
      this.readTimeout = positive("readTimeout", value);
      return this;
    }

    public Builder maxAttempts(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, got " + value);
      }
      this.maxAttempts = value;
      return this;
    }

    public Builder retryTimeout(Duration value) {
      this.retryTimeout = positive("retryTimeout", value);
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.backoff = new Backoff(initial, max);
      return this;
    }

    /**
     * A PEM file of CA certificates trusted for {@code https://} clusters besides the JVM's own;
     * null or blank means none. Read when the config is built.
     */
    public Builder tlsCaCert(String file) {
      this.tlsCaCert = blankToNull(file);
      return this;
    }

    /** Accept any server certificate and host name: for testing only. */
    public Builder tlsSkipVerify(boolean value) {
      this.tlsSkipVerify = value;
      return this;
    }

    /**
     * A client certificate (PEM, the chain after it) and its unencrypted private key (PKCS#8,
     * PKCS#1 RSA or SEC1 EC), for clusters that require one; both null or blank means none.
     */
    public Builder tlsClientCert(String certFile, String keyFile) {
      this.tlsClientCert = blankToNull(certFile);
      this.tlsClientKey = blankToNull(keyFile);
      return this;
    }

    /** Reads and checks the TLS files, if any. */
    public AisClientConfig build() {
      return new AisClientConfig(this);
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value.strip();
    }

    private static Duration positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
      }
      return value;
    }
  }
}
