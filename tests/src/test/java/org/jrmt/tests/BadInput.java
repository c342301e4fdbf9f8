package org.jrmt.tests;

import java.util.List;

/**
 * Malformed requests and the exact bytes jrmt must answer. Every case opens with whatever it needs
 * and ends with a healthy request ({@code Ot1…} or {@code C}): when the bad request ends the
 * session, that request gets no reply, which is how "closed" shows in {@link #reply}.
 *
 * @param name what the case is about
 * @param request the client's bytes (sent whole, then EOF)
 * @param reply every byte the server sends before it closes
 */
record BadInput(String name, byte[] request, String reply) {
  private static final String OPEN = "Ot1\n66 O_RDWR|O_CREAT\n";

  private static BadInput of(String name, String request, String reply) {
    return new BadInput(
        name, request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), reply);
  }

  @Override
  public String toString() {
    return name;
  }

  static List<BadInput> all() {
    byte[] garbage = new byte[64];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = (byte) (0xFF - 7 * i);
    }
    return List.of(
        of("unknown letter", "X\n" + OPEN, "E22\nGarbage command\n"),
        of("stray newline", "\n" + OPEN, "E22\nGarbage command\n"),
        of(
            "junk counts",
            OPEN + "Rabc\nWx\nIx\n1\nR\nC\n",
            "A0\n"
                + "E22\nInvalid byte count\n"
                + "E22\nInvalid byte count\n"
                + "E22\nInvalid argument\n"
                + "E22\nInvalid byte count\n"
                + "A0\n"),
        // Blanks around a count are stripped, so a CRLF client's R3\r\n reads like BSD's atoi
        // (GNU rmt answers E22 here). The tape is empty: the read meets the end of data.
        of("count with CR", OPEN + "R3\r\nC\n", "A0\nA0\nA0\n"),
        of(
            "negative counts",
            OPEN + "R-1\nW-5\nI6\n-1\nW0\nC\n",
            "A0\n"
                + "E22\nInvalid byte count\n"
                + "E22\nInvalid byte count\n"
                + "E22\nInvalid argument\n"
                + "E22\nInvalid byte count\n"
                + "A0\n"),
        of(
            "op and count beyond int",
            OPEN + "I6\n99999999999\nI99999999999\n1\nC\n",
            "A0\nE22\nInvalid argument\nE22\nInvalid argument\nA0\n"),
        of("huge read", OPEN + "R99999999999\nC\n", "A0\nE12\nCannot allocate memory\n"),
        of("huge write", OPEN + "W2147483648\nC\n", "A0\nE12\nCannot allocate memory\n"),
        of(
            "read above the record limit",
            OPEN + "R" + ((16 << 20) + 1) + "\nC\n",
            "A0\nE12\nCannot allocate memory\n"),
        of("overlong path", "O" + "a".repeat(5000) + "\n0\nC\n", "E22\nArgument too long\n"),
        of(
            "overlong count",
            OPEN + "R" + "1".repeat(5000) + "\nC\n",
            "A0\nE22\nArgument too long\n"),
        of("truncated write payload", OPEN + "W10\nabc", "A0\nE5\nPremature eof\n"),
        new BadInput("binary garbage", garbage, "E22\nGarbage command\n"),
        of(
            "nothing open",
            "R10\nW3\nabcI6\n1\nC\n" + OPEN + "C\n",
            "E9\nBad file descriptor\nE9\nBad file descriptor\nE9\nBad file descriptor\n"
                + "E9\nBad file descriptor\nA0\nA0\n"),
        of(
            "path outside the catalog",
            "O/etc/passwd\n0 O_RDONLY\nO../t1\n0\n" + OPEN + "C\n",
            "E13\nnot a tape, device or file this server serves\n".repeat(2) + "A0\nA0\n"));
  }
}
