package io.github.obrol.server.tls;

import io.github.obrol.protocol.tls.TestCertificates;
import io.github.obrol.server.testing.LineClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Test certificates written to a directory, and TLS clients that use them. */
final class TlsFixture {
  final TestCertificates.Issued ca;
  final TestCertificates.Issued server;
  final TestCertificates.Issued clientCa;
  final TestCertificates.Issued carol;
  final Path cert;
  final Path key;
  final Path clientCaFile;
  final SSLContext trusting;
  final SSLContext carolContext;

  TlsFixture(Path dir) throws IOException, GeneralSecurityException {
    ca = TestCertificates.ca("Obrol test CA");
    server = TestCertificates.server(ca, "first", Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1));
    clientCa = TestCertificates.ca("Obrol test client CA");
    carol = TestCertificates.client(clientCa, "carol");
    cert = TestCertificates.writeCertificates(dir.resolve("cert.pem"), server.certificate(), ca.certificate());
    key = TestCertificates.writeKey(dir.resolve("key.pem"), server.keys().getPrivate());
    clientCaFile = TestCertificates.writeCertificates(dir.resolve("client-ca.pem"), clientCa.certificate());
    trusting = TestCertificates.clientContext(ca, null);
    carolContext = TestCertificates.clientContext(ca, carol);
  }

  /** A TLS client that has completed its handshake. */
  static LineClient tls(InetSocketAddress address, SSLContext context, String... protocols) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 5_000);
    s.setSoTimeout((int) LineClient.WAIT.toMillis());
    if (protocols.length > 0) {
      s.setEnabledProtocols(protocols);
    }
    s.startHandshake();
    return LineClient.over(s);
  }

  /** A TLS client that has sent HELLO, and the greeting it got. */
  static LineClient tlsHello(InetSocketAddress address, SSLContext context) throws IOException {
    LineClient c = tls(address, context);
    c.send("HELLO obrol/1\n");
    String hello = c.readLine();
    if (!hello.startsWith("OK HELLO obrol/1 ")) {
      throw new AssertionError("greeting: " + hello);
    }
    return c;
  }

  /** The PLAIN initial response for {@code account} and {@code password} (RFC 4616, empty authzid). */
  static String plain(String account, String password) {
    return Base64.getEncoder().encodeToString(("\0" + account + "\0" + password).getBytes(StandardCharsets.UTF_8));
  }
}
