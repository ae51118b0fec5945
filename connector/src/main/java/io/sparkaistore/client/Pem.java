package io.sparkaistore.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files read with the JDK alone: X.509 certificates, and unencrypted private keys as openssl
 * writes them and AIS's Go code reads them: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code
 * BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY}). Every failure is an {@link
 * IllegalArgumentException} naming the file.
 */
final class Pem {
  static final String TO_PKCS8 = "openssl pkcs8 -topk8 -nocrypt -in KEY.pem -out KEY-pkcs8.pem";

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  // The AlgorithmIdentifier of PKCS#8's rsaEncryption (OID 1.2.840.113549.1.1.1, NULL parameters).
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final Map<String, String> PROOF_SIGNATURES =
      Map.of(
          "RSA",
          "SHA256withRSA",
          "EC",
          "SHA256withECDSA",
          "EdDSA",
          "EdDSA",
          "DSA",
          "SHA256withDSA");

  private Pem() {}

  /** Every {@code CERTIFICATE} block of {@code pem}, in file order; at least one. */
  static List<X509Certificate> certificates(String pem, String file) {
    List<X509Certificate> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          out.add(
              (X509Certificate)
                  factory.generateCertificate(new ByteArrayInputStream(decode(m, file))));
        }
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          file + " holds a certificate that cannot be parsed: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return out;
  }

  /**
   * The private key of {@code pem}, which must belong to {@code publicKey} (the client
   * certificate's): a mismatch would otherwise show only as a refused handshake.
   */
  static PrivateKey privateKey(String pem, String file, PublicKey publicKey, String certFile) {
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      if (m.group(1).endsWith("PRIVATE KEY")) {
        PrivateKey key = parseKey(m, file, publicKey);
        checkPair(key, publicKey, file, certFile);
        return key;
      }
    }
    throw new IllegalArgumentException(
        file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  private static PrivateKey parseKey(Matcher m, String file, PublicKey publicKey) {
    String label = m.group(1);
    if (label.contains("ENCRYPTED") || m.group(2).contains("ENCRYPTED")) {
      throw new IllegalArgumentException(
          file
              + " holds an encrypted private key; AIS's clients read unencrypted "
              + "keys only: decrypt it with "
              + TO_PKCS8);
    }
    String algorithm = publicKey.getAlgorithm();
    try {
      switch (label) {
        case "PRIVATE KEY":
          return generate(algorithm, new PKCS8EncodedKeySpec(decode(m, file)));
        case "RSA PRIVATE KEY":
          return generate(
              "RSA",
              new PKCS8EncodedKeySpec(
                  der(0x30, new byte[] {2, 1, 0}, RSA_ALGORITHM, der(0x04, decode(m, file)))));
        case "EC PRIVATE KEY":
          if (!(publicKey instanceof ECPublicKey)) {
            throw new GeneralSecurityException("an EC key for a " + algorithm + " certificate");
          }
          BigInteger scalar = sec1Scalar(decode(m, file));
          return generate(
              "EC", new ECPrivateKeySpec(scalar, ((ECPublicKey) publicKey).getParams()));
        default:
          throw new GeneralSecurityException(
              "-----BEGIN " + label + "----- is not a key format read here");
      }
    } catch (GeneralSecurityException | IllegalStateException e) {
      throw new IllegalArgumentException(
          "Cannot read the private key in "
              + file
              + " ("
              + e.getMessage()
              + "); PKCS#8, PKCS#1 RSA and SEC1 EC keys are read: convert others with "
              + TO_PKCS8,
          e);
    }
  }

  private static PrivateKey generate(String algorithm, KeySpec spec)
      throws GeneralSecurityException {
    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
  }

  /** Proves the pair by signing with the key and verifying with the certificate's public key. */
  private static void checkPair(
      PrivateKey key, PublicKey publicKey, String keyFile, String certFile) {
    String algorithm = PROOF_SIGNATURES.get(publicKey.getAlgorithm());
    if (algorithm == null) {
      return; // an unusual key type: the handshake will tell
    }
    byte[] challenge = "spark-aistore".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new IllegalArgumentException(
          "The private key in " + keyFile + " does not belong to the certificate in " + certFile);
    }
  }

  private static byte[] decode(Matcher m, String file) {
    try {
      return Base64.getMimeDecoder().decode(m.group(2).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ": the " + m.group(1) + " block is not valid base64", e);
    }
  }

  /** The private scalar of a SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING d, ... }. */
  private static BigInteger sec1Scalar(byte[] der) {
    DerReader key = new DerReader(new DerReader(der).next(0x30));
    key.next(0x02);
    return new BigInteger(1, key.next(0x04));
  }

  /** A DER element of {@code tag} whose contents are {@code parts}, concatenated. */
  private static byte[] der(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.size();
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] digits = BigInteger.valueOf(length).toByteArray();
      int skip = digits[0] == 0 ? 1 : 0;
      out.write(0x80 | (digits.length - skip));
      out.write(digits, skip, digits.length - skip);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }

  /** Reads consecutive DER elements (definite lengths only, as DER requires). */
  private static final class DerReader {
    private final byte[] buf;
    private int pos;

    DerReader(byte[] buf) {
      this.buf = buf;
    }

    byte[] next(int tag) {
      if (pos + 2 > buf.length || (buf[pos] & 0xff) != tag) {
        throw new IllegalStateException("malformed DER: expected tag " + tag + " at offset " + pos);
      }
      pos++;
      int length = buf[pos++] & 0xff;
      if (length >= 0x80) {
        int n = length & 0x7f;
        if (n > 3 || pos + n > buf.length) {
          throw new IllegalStateException(
              "malformed DER: a length of " + n + " bytes at offset " + pos);
        }
        length = 0;
        for (int i = 0; i < n; i++) {
          length = (length << 8) | (buf[pos++] & 0xff);
        }
      }
      if (pos + length > buf.length) {
        throw new IllegalStateException("malformed DER: length " + length + " past the end");
      }
      byte[] out = Arrays.copyOfRange(buf, pos, pos + length);
      pos += length;
      return out;
    }
  }
}
