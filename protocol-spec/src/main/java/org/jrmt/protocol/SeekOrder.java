package org.jrmt.protocol;

/**
 * The order of the two argument lines of {@code L}.
 *
 * <p>GNU rmt since its 2009 rewrite (rmt-tar in tar 1.34) reads whence first; every other server
 * and every client before paxutils 2023-05 sends the offset first. See PROTOCOL.md, "L".
 */
public enum SeekOrder {
  /** {@code L<offset>\n<whence>\n}: BSD, Linux dump, star, and tar/cpio/mt up to 2023. */
  OFFSET_FIRST,
  /** {@code L<whence>\n<offset>\n}: GNU rmt 2009+ and GNU clients after 2023-05. */
  WHENCE_FIRST
}
