package org.jrmt.tape;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The jrmt release every tool reports with {@code --version}: the Maven project version, written
 * into {@code version.properties} when tape-io is built (resource filtering), so that the pom is
 * the one place it is set. Every tool depends on tape-io, so they all report the same release.
 */
public final class ToolVersion {
  private static final String VERSION = load();

  private ToolVersion() {}

  /** The release, e.g. {@code 0.1.0}. */
  public static String get() {
    return VERSION;
  }

  /** The {@code --version} line of {@code tool}, in the GNU form {@code TOOL (jrmt) VERSION}. */
  public static String line(String tool) {
    return tool + " (jrmt) " + VERSION;
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = ToolVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties missing from tape-io's jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("version", "");
    if (v.isBlank() || v.contains("${")) {
      throw new IllegalStateException("version.properties was not filtered: " + v);
    }
    return v.strip();
  }
}
