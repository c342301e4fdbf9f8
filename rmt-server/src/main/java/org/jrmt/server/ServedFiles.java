package org.jrmt.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;
import org.jrmt.protocol.Errno;
import org.jrmt.tape.FileTape;
import org.jrmt.tape.OpenMode;
import org.jrmt.tape.TapeException;

/**
 * Opens the plain files jrmtd serves, by handle, so that what is checked is what is opened.
 *
 * <p>A file below a configured file directory is reached from that directory (its path is the
 * administrator's and is trusted, links included) one component at a time: each is opened as an
 * {@code O_PATH} handle relative to the one before with {@code O_NOFOLLOW}, its type is read from
 * the handle ({@code statx} of the descriptor, not of the name), and only a directory is entered. A
 * symbolic link anywhere, a FIFO, a socket, a device node, or a regular file with a second name (a
 * hard link, which may be any file of the file system) is refused with {@code EACCES} and a reason;
 * a directory with {@code EISDIR}. A file to create is made with {@code O_CREAT | O_EXCL |
 * O_NOFOLLOW} in its directory's handle, so a link planted as its name is never followed. Only then
 * is the file opened for reading or writing, through the handle ({@link FileTape#open(FileHandle,
 * OpenMode)}), with {@code O_TRUNC} if asked: a rename, a swap ({@code RENAME_EXCHANGE}) or a link
 * made meanwhile changes nothing, and no open ever blocks.
 *
 * <p>A path the configuration names itself (a declared {@code kind = "file"} device, a {@code
 * --file-dir} that is a file) is trusted up to its last component, which is not followed either; it
 * may also be a character device ({@code /dev/null}, a tape drive used as a byte stream).
 */
final class ServedFiles {
  /** Creation races (the name made and removed by someone else) retried before giving up. */
  private static final int CREATE_ATTEMPTS = 3;

  private ServedFiles() {}

  /**
   * Opens {@code path}, below {@code fileDir} or, when that is null, named by the configuration.
   *
   * @throws TapeException a refusal as above, or the errno the file system gives (ENOENT, EEXIST,
   *     ENOTDIR, EACCES …)
   */
  static FileTape open(Path fileDir, Path path, OpenMode mode) throws TapeException {
    boolean below = fileDir != null;
    Path start = below ? fileDir : path.getParent();
    if (start == null || path.getFileName() == null) {
      throw new TapeException(Errno.EISDIR, "is a directory: " + path);
    }
    List<FileName> names = new ArrayList<>();
    for (Path part : below ? fileDir.relativize(path) : path.getFileName()) {
      names.add(FileName.of(part.toString()));
    }
    FileName last = names.remove(names.size() - 1);
    try (Directory root = Directory.open(start);
        Directory parent = enter(root, names);
        FileHandle h = handle(parent, last, mode)) {
      check(h, below);
      return FileTape.open(h, mode);
    } catch (FsException e) {
      throw new TapeException(e.errnoValue(), e.getMessage(), e);
    }
  }

  /** The directory below {@code root} along {@code names}, each checked on its own handle. */
  private static Directory enter(Directory root, List<FileName> names)
      throws FsException, TapeException {
    Directory cur = root.duplicate();
    for (FileName name : names) {
      try (Directory parent = cur;
          FileHandle h = parent.handle(name)) {
        FileStatus st = h.status();
        if (st.isSymbolicLink()) {
          throw notFollowed(h);
        }
        if (!st.isDirectory()) {
          throw new TapeException(Errno.ENOTDIR, "not a directory: " + h.shown());
        }
        cur = Directory.of(h);
      }
    }
    return cur;
  }

  /**
   * A handle on {@code name}: an {@code O_PATH} one on what is there, or the file just created when
   * the mode creates and there was nothing.
   */
  private static FileHandle handle(Directory dir, FileName name, OpenMode mode) throws FsException {
    boolean create = mode.canWrite() && mode.has(OpenMode.Flag.CREATE);
    Directory.Access access = mode.canRead() ? Directory.Access.READ_WRITE : Directory.Access.WRITE;
    if (create && mode.has(OpenMode.Flag.EXCLUSIVE)) {
      return dir.open(name, access, Directory.Create.NEW, false, 0666);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return dir.handle(name);
      } catch (FsException e) {
        if (!create || !e.notFound()) {
          throw e;
        }
      }
      try {
        return dir.open(name, access, Directory.Create.NEW, false, 0666);
      } catch (FsException e) {
        if (e.errnoValue() != Errno.EEXIST || attempt == CREATE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Refuses, on the handle, what may not be opened (see the class comment). */
  private static void check(FileHandle h, boolean below) throws FsException, TapeException {
    FileStatus st = h.status();
    if (st.isSymbolicLink()) {
      throw notFollowed(h);
    }
    if (st.isDirectory()) {
      throw new TapeException(Errno.EISDIR, "is a directory: " + h.shown());
    }
    if (below && !st.isRegularFile()) {
      throw TapeException.refusal(
          Errno.EACCES, "Not a regular file (a " + typeName(st) + ")", h.shown());
    }
    if (!st.isRegularFile() && !st.isCharacterDevice()) {
      throw TapeException.refusal(
          Errno.EACCES,
          "Not a regular file or character device (a " + typeName(st) + ")",
          h.shown());
    }
    if (below && st.nlink() > 1) {
      throw TapeException.refusal(Errno.EACCES, "More than one name (a hard link)", h.shown());
    }
  }

  private static TapeException notFollowed(FileHandle h) {
    return TapeException.refusal(Errno.EACCES, "Symbolic link, not followed", h.shown());
  }

  private static String typeName(FileStatus st) {
    return switch (st.type()) {
      case FileStatus.S_IFIFO -> "FIFO";
      case FileStatus.S_IFSOCK -> "socket";
      case FileStatus.S_IFBLK -> "block device";
      case FileStatus.S_IFCHR -> "character device";
      default -> "file of type " + Integer.toOctalString(st.type());
    };
  }
}
