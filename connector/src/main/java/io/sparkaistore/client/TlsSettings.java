package io.sparkaistore.client;

import java.io.IOException;
import java.io.Serializable;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for {@code https://} clusters: CA certificates trusted besides the JVM's own (as AIS's
 * clients add {@code AIS_CLIENT_CA} to the system pool), or no verification at all, and a client
 * certificate for clusters that require one (mutual TLS). The PEM files are read and checked when
 * the settings are made, on the Spark driver, and their text travels with the settings, so
 * executors need no copy of the files. Equal settings share one HTTP client per JVM.
 */
final class TlsSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final char[] KEYSTORE_PASSWORD = "in-memory".toCharArray();

  /** The JVM's own trust store and no client certificate. */
  static final TlsSettings DEFAULT = new TlsSettings(null, null, false, null, null, null, null);

  private final String caFile;
  private final String caPem;
  private final boolean skipVerify;
  private final String certFile;
  private final String certPem;
  private final String keyFile;
  private final String keyPem;

  private TlsSettings(
      String caFile,
      String caPem,
      boolean skipVerify,
      String certFile,
      String certPem,
      String keyFile,
      String keyPem) {
    this.caFile = caFile;
    this.caPem = caPem;
    this.skipVerify = skipVerify;
    this.certFile = certFile;
    this.certPem = certPem;
    this.keyFile = keyFile;
    this.keyPem = keyPem;
  }

  /**
   * Reads and checks the files; any of them may be null. The certificate and its key come together.
   */
  static TlsSettings load(String caFile, boolean skipVerify, String certFile, String keyFile) {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(
          "A client certificate needs both its certificate and its key (options "
              + "tlsClientCert and tlsClientKey, or $AIS_CRT and $AIS_CRT_KEY); got only the "
              + (certFile == null ? "key " + keyFile : "certificate " + certFile));
    }
    TlsSettings tls =
        new TlsSettings(
            caFile,
            read(caFile, "tlsCaCert or $AIS_CLIENT_CA"),
            skipVerify,
            certFile,
            read(certFile, "tlsClientCert or $AIS_CRT"),
            keyFile,
            read(keyFile, "tlsClientKey or $AIS_CRT_KEY"));
    tls.trustedCas();
    tls.clientKey();
    return tls;
  }

  private static String read(String file, String what) {
    if (file == null) {
      return null;
    }
    try {
      // PEM is ASCII; never fails to decode.
      return Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + " (" + what + "): " + e, e);
    }
  }

  boolean isDefault() {
    return equals(DEFAULT);
  }

  boolean skipVerify() {
    return skipVerify;
  }

  /** A new SSL context for these settings. */
  SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(), trustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot set up TLS with " + this + ": " + e, e);
    }
  }

  private List<X509Certificate> trustedCas() {
    return caPem == null ? List.of() : Pem.certificates(caPem, caFile);
  }

  private KeyStore.PrivateKeyEntry clientKey() {
    if (certPem == null) {
      return null;
    }
    List<X509Certificate> chain = Pem.certificates(certPem, certFile);
    return new KeyStore.PrivateKeyEntry(
        Pem.privateKey(keyPem, keyFile, chain.get(0).getPublicKey(), certFile),
        chain.toArray(new X509Certificate[0]));
  }

  /** Null (the JVM's default), everything (skip-verify), or the JVM's CAs plus the given ones. */
  private TrustManager[] trustManagers() throws GeneralSecurityException, IOException {
    if (skipVerify) {
      return new TrustManager[] {new TrustAll()};
    }
    if (caPem == null) {
      return null;
    }
    KeyStore anchors = emptyKeyStore();
    int n = 0;
    for (X509Certificate ca : jvmTrustedCas()) {
      anchors.setCertificateEntry("jvm-" + n++, ca);
    }
    for (X509Certificate ca : trustedCas()) {
      anchors.setCertificateEntry("ca-" + n++, ca);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(anchors);
    return factory.getTrustManagers();
  }

  private static X509Certificate[] jvmTrustedCas() throws GeneralSecurityException {
    TrustManagerFactory jvm =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jvm.init((KeyStore) null);
    for (TrustManager tm : jvm.getTrustManagers()) {
      if (tm instanceof X509TrustManager) {
        return ((X509TrustManager) tm).getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }

  private KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
    KeyStore.PrivateKeyEntry entry = clientKey();
    if (entry == null) {
      return null;
    }
    KeyStore store = emptyKeyStore();
    store.setKeyEntry(
        "client", entry.getPrivateKey(), KEYSTORE_PASSWORD, entry.getCertificateChain());
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, KEYSTORE_PASSWORD);
    return factory.getKeyManagers();
  }

  private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TlsSettings)) {
      return false;
    }
    TlsSettings t = (TlsSettings) o;
    return skipVerify == t.skipVerify
        && Objects.equals(caPem, t.caPem)
        && Objects.equals(certPem, t.certPem)
        && Objects.equals(keyPem, t.keyPem);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caPem, skipVerify, certPem, keyPem);
  }

  /** The files, never the key. */
  @Override
  public String toString() {
    return "tls[ca="
        + (caFile == null ? "JVM default" : caFile)
        + (skipVerify ? ", skipVerify" : "")
        + (certFile == null ? "" : ", clientCert=" + certFile + ", clientKey=" + keyFile)
        + "]";
  }

  /**
   * Accepts any certificate for any host: what skip-verify asks for. As an X509ExtendedTrustManager
   * it is trusted to check host names itself, so the JDK's check is off for this client only (the
   * HttpClient's own switch, jdk.internal.httpclient.disableHostnameVerification, is JVM-wide).
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
