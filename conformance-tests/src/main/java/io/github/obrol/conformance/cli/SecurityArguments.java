package io.github.obrol.conformance.cli;

import io.github.obrol.conformance.ConformanceSecurity;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Turns {@code --tls}, {@code --ca}, {@code --tls-insecure} and {@code --accounts} into {@link ConformanceSecurity}. */
final class SecurityArguments {
  private SecurityArguments() {}

  static ConformanceSecurity security(boolean tls, Path caFile, boolean insecure, Path accountsFile) {
    if (caFile != null && insecure) {
      throw usage("--ca and --tls-insecure: give one of them (--tls-insecure accepts any certificate)");
    }
    if (caFile != null && !Files.isReadable(caFile)) {
      throw usage("--ca: cannot read " + caFile);
    }
    ConformanceSecurity security = ConformanceSecurity.plainText();
    if (tls || caFile != null || insecure) {
      security = security.withTls(caFile, insecure);
    }
    if (accountsFile != null) {
      try {
        security = security.withAccounts(ConformanceSecurity.readAccounts(accountsFile));
      } catch (IllegalArgumentException | UncheckedIOException e) {
        throw usage("--accounts: " + e.getMessage());
      }
      if (security.accounts().isEmpty()) {
        throw usage("--accounts: " + accountsFile + " holds no name:password line");
      }
    }
    return security;
  }

  private static CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(new CommandLine(new ConformanceCli()), message);
  }
}
