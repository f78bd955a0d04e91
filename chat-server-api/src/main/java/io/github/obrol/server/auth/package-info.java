/**
 * Built-in {@link io.github.obrol.server.CredentialVerifier}s (PROTOCOL.md section 8): {@link
 * io.github.obrol.server.auth.PasswordFile} for {@code PLAIN} and {@code SCRAM-SHA-256}, {@link io.github.obrol.server.auth.JwtVerifier}
 * for {@code TOKEN} and {@link io.github.obrol.server.auth.ClientCertificateVerifier} for {@code EXTERNAL}.
 */
package io.github.obrol.server.auth;
