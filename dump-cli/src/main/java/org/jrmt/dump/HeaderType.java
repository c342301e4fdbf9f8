package org.jrmt.dump;

/** The kinds of dump header record ({@code c_type}). */
public enum HeaderType {
  /** Volume label: the first record of every volume. */
  TAPE(1),
  /** An inode: its metadata, then its first up to 512 records of data. */
  INODE(2),
  /** The map of inodes written on this dump. */
  BITS(3),
  /** More records of the inode before it. */
  ADDR(4),
  /** End of the dump. */
  END(5),
  /** The map of every inode in use on the file system when dumped. */
  CLRI(6);

  private final int code;

  HeaderType(int code) {
    this.code = code;
  }

  /** The value of {@code c_type}. */
  public int code() {
    return code;
  }

  /** The type with this code, or null. */
  public static HeaderType of(int code) {
    for (HeaderType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
