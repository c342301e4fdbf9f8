package org.jrmt.tape;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.jrmt.fs.FsException;
import org.jrmt.protocol.Errno;

/**
 * Turns the JDK's I/O exceptions into errnos. The JDK drops the errno but keeps the C library's
 * {@code strerror} text, which is what {@link Errno#message()} holds, so the text identifies it; an
 * {@link FsException} carries its errno.
 */
final class IoErrors {
  private IoErrors() {}

  /** A {@link TapeException} for {@code e}, with {@code what} saying which operation failed. */
  static TapeException toTapeException(String what, Exception e) {
    Errno errno = errnoOf(e);
    return new TapeException(errno, what + ": " + errno.message(), e);
  }

  static Errno errnoOf(Exception e) {
    if (e instanceof FsException fe) {
      return fe.errnoValue();
    }
    if (e instanceof NoSuchFileException) {
      return Errno.ENOENT;
    }
    if (e instanceof AccessDeniedException) {
      return Errno.EACCES;
    }
    if (e instanceof FileAlreadyExistsException) {
      return Errno.EEXIST;
    }
    if (e instanceof NotDirectoryException) {
      return Errno.ENOTDIR;
    }
    if (e instanceof ClosedChannelException
        || e instanceof NonReadableChannelException
        || e instanceof NonWritableChannelException) {
      return Errno.EBADF;
    }
    String text = e instanceof FileSystemException fse ? fse.getReason() : (e.getMessage());
    if (text != null && e instanceof IOException) {
      for (Errno errno : Errno.values()) {
        if (text.endsWith(errno.message())) {
          return errno;
        }
      }
    }
    return Errno.EIO;
  }
}
