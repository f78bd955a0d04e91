package io.github.obrol.protocol;

import java.util.Objects;

/**
 * A decoded classic client frame: the name the frame claims and the command it carries (CL-CMD-1). A
 * server compares {@code claimedName} with the sender's own name (CL-AUTH-1).
 */
public record ClassicCommand(String claimedName, ClientCommand command) {
  public ClassicCommand {
    Checks.token("claimedName", claimedName);
    Objects.requireNonNull(command, "command");
  }
}
