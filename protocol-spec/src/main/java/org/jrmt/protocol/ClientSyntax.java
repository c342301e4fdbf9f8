package org.jrmt.protocol;

import java.util.Objects;

/**
 * How a client writes the parts of requests that servers disagree on.
 *
 * @param seekOrder the {@code L} argument order the server reads
 * @param flagSyntax the syntax of the {@code O} flag line
 * @param statusNewline whether {@code S} is followed by a newline
 */
public record ClientSyntax(SeekOrder seekOrder, FlagSyntax flagSyntax, boolean statusNewline) {
  public ClientSyntax {
    Objects.requireNonNull(seekOrder);
    Objects.requireNonNull(flagSyntax);
  }
}
