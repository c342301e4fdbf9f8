package org.jrmt.server;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A site certificate authority in a directory of PEM files, so TLS works without openssl: {@code
 * ca.crt} and {@code ca.key} for the CA, {@code NAME.crt} and {@code NAME.key} for each server or
 * client it issues. Keys are EC P-256, PKCS#8, readable by their owner only. Every issued
 * certificate carries subjectAltNames (Netty's clients verify host names by them) and may serve
 * both as server and as client certificate; the identity jrmtd sees is its common name.
 */
public final class SiteCertificates {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  /** The authority kept in {@code dir}. */
  public SiteCertificates(Path dir) {
    this.dir = dir;
  }

  /** The CA certificate file. */
  public Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  /** The certificate file of an issued name. */
  public Path certificate(String name) {
    return dir.resolve(name + ".crt");
  }

  /** The key file of an issued name. */
  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  /**
   * Creates the CA. Refuses to overwrite an existing one.
   *
   * @throws IOException if {@code ca.crt} exists or the files cannot be written
   */
  public void init(String siteName, Duration validity) throws IOException {
    if (Files.exists(caCertificate())) {
      throw new IOException("a CA already exists in " + dir);
    }
    Files.createDirectories(dir);
    KeyPair kp = newKeyPair();
    X500Name subject = new X500Name("CN=" + siteName + " jrmt CA");
    try {
      X509v3CertificateBuilder b = builder(subject, subject, kp, validity);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = sign(b, kp.getPrivate());
      writeKey(key("ca"), kp.getPrivate());
      writePem(caCertificate(), cert);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create the CA: " + e.getMessage(), e);
    }
  }

  /**
   * Issues a certificate for {@code name} (a host or client identity), valid for the DNS names and
   * IP addresses given (the name itself is always a DNS name of it).
   */
  public void issue(String name, List<String> dnsNames, List<String> ips, Duration validity)
      throws IOException {
    if (!NAME.matcher(name).matches() || name.equals("ca")) {
      throw new IOException("not a usable certificate name: " + name);
    }
    if (Files.exists(certificate(name))) {
      throw new IOException("a certificate for " + name + " already exists in " + dir);
    }
    X509Certificate ca = readCertificate(caCertificate());
    PrivateKey caKey = readKey(key("ca"));
    KeyPair kp = newKeyPair();
    try {
      X509v3CertificateBuilder b =
          builder(
              new JcaX509CertificateHolder(ca).getSubject(),
              new X500Name("CN=" + name),
              kp,
              validity);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      List<GeneralName> sans = new ArrayList<>();
      sans.add(new GeneralName(GeneralName.dNSName, name));
      for (String d : dnsNames) {
        if (!d.equals(name)) {
          sans.add(new GeneralName(GeneralName.dNSName, d));
        }
      }
      for (String ip : ips) {
        InetAddress.getByName(ip); // validates the literal
        sans.add(new GeneralName(GeneralName.iPAddress, ip));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(kp.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
      X509Certificate cert = sign(b, caKey);
      writeKey(key(name), kp.getPrivate());
      writePem(certificate(name), cert);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot issue " + name + ": " + e.getMessage(), e);
    }
  }

  /** A human-readable description of a PEM certificate: subject, issuer, names, validity. */
  public static String describe(Path file) throws IOException {
    X509Certificate c = readCertificate(file);
    StringBuilder sb = new StringBuilder();
    sb.append("subject:     ").append(c.getSubjectX500Principal().getName()).append('\n');
    sb.append("issuer:      ").append(c.getIssuerX500Principal().getName()).append('\n');
    try {
      Collection<List<?>> sans = c.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          sb.append("alt name:    ")
              .append((Integer) san.get(0) == 7 ? "IP " : "DNS ")
              .append(san.get(1))
              .append('\n');
        }
      }
      sb.append("not before:  ").append(c.getNotBefore().toInstant()).append('\n');
      sb.append("not after:   ").append(c.getNotAfter().toInstant()).append('\n');
      sb.append("CA:          ").append(c.getBasicConstraints() >= 0 ? "yes" : "no").append('\n');
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      sb.append("sha256:      ").append(HexFormat.ofDelimiter(":").formatHex(digest)).append('\n');
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return sb.toString();
  }

  /** The common name of a certificate's subject: the identity jrmtd uses for policy. */
  public static String commonName(X509Certificate cert) {
    X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    var rdns = name.getRDNs(BCStyle.CN);
    return rdns.length == 0
        ? cert.getSubjectX500Principal().getName()
        : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  private static KeyPair newKeyPair() throws IOException {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("no EC key generator: " + e.getMessage(), e);
    }
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair kp, Duration validity) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(63, RANDOM),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(validity)),
        subject,
        kp.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static void writePem(Path file, Object object) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(object);
    }
    Files.writeString(file, sw.toString(), StandardCharsets.US_ASCII);
  }

  private static void writeKey(Path file, PrivateKey key) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(new JcaPKCS8Generator(key, null));
    }
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    try (Writer w =
        Files.newBufferedWriter(
            file, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING)) {
      w.write(sw.toString());
    }
  }

  static X509Certificate readCertificate(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (GeneralSecurityException e) {
      throw new IOException("not a certificate: " + file, e);
    }
  }

  static PrivateKey readKey(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return conv.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return conv.getKeyPair(pair).getPrivate();
      }
      throw new IOException("not a private key: " + file);
    }
  }
}
