package org.jrmt.protocol;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The rmt servers in the field and how a client must talk to each; the dialect tables of
 * PROTOCOL.md in code.
 */
public enum ServerDialect {
  /** GNU rmt since 2009 (rmt-tar in tar 1.34): line parser, whence first, exits after C. */
  GNU(
      SeekOrder.WHENCE_FIRST,
      FlagSyntax.NUMBER_AND_NAMES,
      Trait.STATUS_NEWLINE,
      Trait.EXITS_AFTER_CLOSE),
  /** Linux dump's rmt-dump 0.4b47: byte parser, offset first, version 1, I answers the count. */
  LINUX_DUMP(
      SeekOrder.OFFSET_FIRST,
      FlagSyntax.ACCESS_MODE_AND_NAMES,
      Trait.VERSION_1,
      Trait.IOCTL_REPLIES_COUNT),
  /** FreeBSD rmt: numeric flags in FreeBSD numbering, offset first, 24-byte status. */
  FREEBSD(SeekOrder.OFFSET_FIRST, FlagSyntax.NUMERIC_FREEBSD, Trait.IOCTL_REPLIES_COUNT),
  /** Schily star's rmt: version 1, symbolic flags, access control by /etc/default/rmt. */
  STAR(
      SeekOrder.OFFSET_FIRST,
      FlagSyntax.ACCESS_MODE_AND_NAMES,
      Trait.VERSION_1,
      Trait.IOCTL_REPLIES_COUNT),
  /** jrmtd and jrmt: accepts every form; negotiates the jrmt extension. */
  JRMT(
      SeekOrder.OFFSET_FIRST,
      FlagSyntax.ACCESS_MODE_AND_NAMES,
      Trait.VERSION_1,
      Trait.IOCTL_REPLIES_COUNT);

  /** What sets one server apart, named so that a dialect's row reads as PROTOCOL.md's table. */
  private enum Trait {
    STATUS_NEWLINE,
    EXITS_AFTER_CLOSE,
    VERSION_1,
    IOCTL_REPLIES_COUNT
  }

  private final SeekOrder seekOrder;
  private final FlagSyntax flagSyntax;
  private final Set<Trait> traits;

  ServerDialect(SeekOrder seekOrder, FlagSyntax flagSyntax, Trait... traits) {
    this.seekOrder = seekOrder;
    this.flagSyntax = flagSyntax;
    this.traits =
        traits.length == 0 ? EnumSet.noneOf(Trait.class) : EnumSet.copyOf(List.of(traits));
  }

  /** The {@code L} argument order this server reads. */
  public SeekOrder seekOrder() {
    return seekOrder;
  }

  /** The open flag syntax to send this server. */
  public FlagSyntax flagSyntax() {
    return flagSyntax;
  }

  /**
   * Whether {@code S} must be followed by a newline: GNU's line parser needs it, byte parsers treat
   * it as a garbage command and drop the session.
   */
  public boolean statusNewline() {
    return traits.contains(Trait.STATUS_NEWLINE);
  }

  /** Whether the server ends the session after answering {@code C} (reconnect to reopen). */
  public boolean exitsAfterClose() {
    return traits.contains(Trait.EXITS_AFTER_CLOSE);
  }

  /** Whether {@code I-1} (version 1: portable op numbers, {@code i}, {@code s}) is understood. */
  public boolean version1() {
    return traits.contains(Trait.VERSION_1);
  }

  /** Whether {@code I} is answered with the count ({@code A<count>}) rather than {@code A0}. */
  public boolean ioctlRepliesCount() {
    return traits.contains(Trait.IOCTL_REPLIES_COUNT);
  }

  /** The syntax a client uses to talk to this server. */
  public ClientSyntax clientSyntax() {
    return new ClientSyntax(seekOrder, flagSyntax, statusNewline());
  }
}
