package org.jrmt.fs;

import java.util.Arrays;
import java.util.Objects;

/**
 * One extended attribute as the kernel hands it out and takes it back: its full name, namespace
 * included ({@code user.mime_type}, {@code system.posix_acl_access}), and its value, both as bytes.
 * Immutable (the arrays are copied in and out); equal when the bytes are.
 */
public record Xattr(byte[] name, byte[] value) {
  public Xattr {
    name = Objects.requireNonNull(name).clone();
    value = Objects.requireNonNull(value).clone();
  }

  @Override
  public byte[] name() {
    return name.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The number of bytes of the name. */
  public int nameLength() {
    return name.length;
  }

  /** The number of bytes of the value. */
  public int valueLength() {
    return value.length;
  }

  /** The name for messages, escaped as {@link FileName#escape} does. */
  public String shownName() {
    return FileName.escape(name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Xattr x && Arrays.equals(name, x.name) && Arrays.equals(value, x.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(name) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return shownName() + " (" + value.length + " bytes)";
  }
}
