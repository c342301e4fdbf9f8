package org.jrmt.dump;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The dumpdates file, in Linux dump's format: one line per dumped name and level, {@code NAME LEVEL
 * Sat Nov 21 13:21:37 2026 +0000}. An incremental's base is the newest entry for the same name with
 * a lower level; {@link #record} rewrites the file atomically under a lock.
 */
public final class DumpDates {
  /** One line: what was dumped, at which level, when (the dump's {@code c_date}). */
  public record Entry(String name, int level, long date) {}

  /**
   * C's asctime() in local time ({@code Sat Nov 1 13:21:37 2026}), as dump and restore print dates.
   */
  static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
          .withZone(ZoneId.systemDefault());

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy xx", Locale.ROOT);

  private final Path file;

  /** The dumpdates file at {@code file} (it need not exist yet). */
  public DumpDates(Path file) {
    this.file = file;
  }

  /** Every entry; a missing file has none. */
  public List<Entry> entries() throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    int lineNumber = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.trim().split("\\s+", 3);
      try {
        out.add(
            new Entry(
                parts[0],
                Integer.parseInt(parts[1]),
                ZonedDateTime.parse(parts[2], FORMAT).toEpochSecond()));
      } catch (ArrayIndexOutOfBoundsException | NumberFormatException | DateTimeParseException e) {
        throw new IOException(file + ":" + lineNumber + ": not a dumpdates line: " + line);
      }
    }
    return out;
  }

  /** The base of a dump of {@code name} at {@code level}: the newest entry with a lower level. */
  public Optional<Entry> base(String name, int level) throws IOException {
    return entries().stream()
        .filter(e -> e.name().equals(name) && e.level() < level)
        .max(Comparator.comparingLong(Entry::date));
  }

  /**
   * Records a dump: replaces the entry for the same name and level, drops none other, and writes
   * the file through a temporary file renamed over it, under a lock on a companion lock file.
   */
  public void record(String name, int level, long date) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path lockFile = dir.resolve(file.getFileName() + ".lock");
    try (FileChannel lockChannel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.lock()) {
      List<Entry> kept = new ArrayList<>();
      for (Entry e : entries()) {
        if (!(e.name().equals(name) && e.level() == level)) {
          kept.add(e);
        }
      }
      kept.add(new Entry(name, level, date));
      StringBuilder sb = new StringBuilder();
      for (Entry e : kept) {
        sb.append(e.name())
            .append(' ')
            .append(e.level())
            .append(' ')
            .append(FORMAT.format(Instant.ofEpochSecond(e.date()).atZone(ZoneId.systemDefault())))
            .append('\n');
      }
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
