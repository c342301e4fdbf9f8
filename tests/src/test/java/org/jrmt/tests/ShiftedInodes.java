package org.jrmt.tests;

import java.util.Optional;
import org.jrmt.dump.TreeScanner;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileName;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;

/**
 * A tree as the file system shows it, but with every inode number {@code shift} higher and no inode
 * flags: what jdump sees of a larger file system (large maps, or numbers past 32 bits).
 */
record ShiftedInodes(long shift) implements TreeScanner.StatSource {
  @Override
  public Optional<FileStatus> status(Directory dir, FileName name) throws FsException {
    return dir.status(name).map(this::moved);
  }

  @Override
  public FileStatus status(Directory dir) throws FsException {
    return moved(dir.status());
  }

  @Override
  public FileStatus status(FileHandle file) throws FsException {
    return moved(file.status());
  }

  @Override
  public int flags(Directory dir, FileName name, FileStatus status) {
    return 0;
  }

  private FileStatus moved(FileStatus s) {
    return new FileStatus(
        s.dev(),
        s.ino() + shift,
        s.mode(),
        s.nlink(),
        s.uid(),
        s.gid(),
        s.rdev(),
        s.size(),
        s.blocks(),
        s.atimeSeconds(),
        s.atimeNanos(),
        s.mtimeSeconds(),
        s.mtimeNanos(),
        s.ctimeSeconds(),
        s.ctimeNanos());
  }
}
