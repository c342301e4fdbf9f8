package org.jrmt.protocol;

/**
 * The rmt servers in the field and how a client must talk to each; the dialect tables of
 * PROTOCOL.md in code.
 */
public enum ServerDialect {
  /** GNU rmt since 2009 (rmt-tar in tar 1.34): line parser, whence first, exits after C. */
  GNU(SeekOrder.WHENCE_FIRST, FlagSyntax.NUMBER_AND_NAMES, true, true, false, false),
  /** Linux dump's rmt-dump 0.4b47: byte parser, offset first, version 1, I answers the count. */
  LINUX_DUMP(SeekOrder.OFFSET_FIRST, FlagSyntax.ACCESS_MODE_AND_NAMES, false, false, true, true),
  /** FreeBSD rmt: numeric flags in FreeBSD numbering, offset first, 24-byte status. */
  FREEBSD(SeekOrder.OFFSET_FIRST, FlagSyntax.NUMERIC_FREEBSD, false, false, false, true),
  /** Schily star's rmt: version 1, symbolic flags, access control by /etc/default/rmt. */
  STAR(SeekOrder.OFFSET_FIRST, FlagSyntax.ACCESS_MODE_AND_NAMES, false, false, true, true),
  /** jrmtd and jrmt: accepts every form; negotiates the jrmt extension. */
  JRMT(SeekOrder.OFFSET_FIRST, FlagSyntax.ACCESS_MODE_AND_NAMES, false, false, true, true);

  private final SeekOrder seekOrder;
  private final FlagSyntax flagSyntax;
  private final boolean statusNewline;
  private final boolean exitsAfterClose;
  private final boolean version1;
  private final boolean ioctlRepliesCount;

  ServerDialect(
      SeekOrder seekOrder,
      FlagSyntax flagSyntax,
      boolean statusNewline,
      boolean exitsAfterClose,
      boolean version1,
      boolean ioctlRepliesCount) {
    this.seekOrder = seekOrder;
    this.flagSyntax = flagSyntax;
    this.statusNewline = statusNewline;
    this.exitsAfterClose = exitsAfterClose;
    this.version1 = version1;
    this.ioctlRepliesCount = ioctlRepliesCount;
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
    return statusNewline;
  }

  /** Whether the server ends the session after answering {@code C} (reconnect to reopen). */
  public boolean exitsAfterClose() {
    return exitsAfterClose;
  }

  /** Whether {@code I-1} (version 1: portable op numbers, {@code i}, {@code s}) is understood. */
  public boolean version1() {
    return version1;
  }

  /** Whether {@code I} is answered with the count ({@code A<count>}) rather than {@code A0}. */
  public boolean ioctlRepliesCount() {
    return ioctlRepliesCount;
  }

  /** The syntax a client uses to talk to this server. */
  public ClientSyntax clientSyntax() {
    return new ClientSyntax(seekOrder, flagSyntax, statusNewline);
  }
}
