package org.jrmt.dump;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Lines reporting damage, one problem each, kept in order up to a limit and counted beyond it: a
 * hostile dump can hold a problem every dozen bytes (a name listed twice, an entry that is not a
 * name), and its report must stay as small as the restore's other memory. Not thread-safe.
 */
final class Problems {
  /** Lines kept by default: more than any honest damage needs to be understood. */
  static final int LIMIT = 1000;

  private final int limit;
  private final List<String> kept = new ArrayList<>();
  private long dropped;

  Problems() {
    this(LIMIT);
  }

  Problems(int limit) {
    this.limit = limit;
  }

  /** Adds one line (no newline in it). */
  void add(String line) {
    if (kept.size() < limit) {
      kept.add(line);
    } else {
      dropped++;
    }
  }

  /**
   * Adds the line {@code line} makes, made only if it is kept: for problems a hostile dump can
   * raise by the million (a name that is not on the dump, a name listed twice).
   */
  void add(Supplier<String> line) {
    if (kept.size() < limit) {
      kept.add(line.get());
    } else {
      dropped++;
    }
  }

  /** Adds every line of {@code other}, its count of dropped lines included. */
  void addAll(Problems other) {
    for (String l : other.kept) {
      add(l);
    }
    dropped += other.dropped;
  }

  /** True when nothing was added. */
  boolean isEmpty() {
    return kept.isEmpty() && dropped == 0;
  }

  /** The lines kept, and a last line counting those that were not. */
  List<String> lines() {
    List<String> out = new ArrayList<>(kept);
    if (dropped > 0) {
      out.add("... and " + dropped + " more problem(s) like these, not shown");
    }
    return out;
  }
}
