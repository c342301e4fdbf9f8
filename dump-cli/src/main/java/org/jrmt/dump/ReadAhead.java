package org.jrmt.dump;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jrmt.fs.Directory;
import org.jrmt.fs.FileHandle;
import org.jrmt.fs.FileStatus;
import org.jrmt.fs.FsException;
import org.jrmt.fs.Xattr;

/**
 * Reads regular files' data ahead of the writer with a pool of worker threads. The files are known
 * in dump order up front; each is cut into groups of 512 slots (one header's worth), the groups are
 * read concurrently, each by positional reads straight into a pooled direct buffer, and handed out
 * strictly in order. Every file yields exactly the groups its scanned size calls for: a file that
 * shrank is padded with zeros, one that grew is cut at the scanned size, one that vanished or could
 * not be read is zeros, and the file's {@link FileData#problem()} says what happened.
 *
 * <p>Files are opened by name below their directory's handle ({@link DirectoryHandles}, acquired
 * when a file's reads are scheduled and released when the writer has its last group), never by
 * path, and each read checks that the inode is still the one scanned: one replaced since (same
 * name, another file) is zeros with a note, never another file's data under this one's header. The
 * first group's read also takes the file's inode flags and extended attributes through the same
 * open, for the writer to put in the header and an EA record.
 *
 * <p>Groups are taken and released on one thread (the writer's); only the reads run on workers.
 */
final class ReadAhead implements AutoCloseable {
  /** Bytes in one group: 512 slots of 1 KiB. */
  static final int GROUP_BYTES = DumpHeader.TP_NINDIR * DumpHeader.TP_BSIZE;

  /** The note for a file whose size changed between the scan and the read. */
  static final String CHANGED = "changed while being dumped";

  private static final byte[] ZEROS = new byte[GROUP_BYTES];

  /**
   * A regular file to read: the scanned node, and the size its header gives. {@code holey} turns
   * true once a whole group read as zeros: from then on, groups are first asked for with {@code
   * SEEK_DATA} and a group that is all hole is not read. Files without such a group never pay for
   * the question. {@code dir} is set by the scheduler before any read of the file is submitted.
   */
  static final class FileRef {
    final TreeScanner.Node node;
    final long size;
    final AtomicBoolean holey = new AtomicBoolean();
    Directory dir;
    String dirProblem;

    FileRef(TreeScanner.Node node) {
      this.node = node;
      this.size = node.meta().size();
    }

    String shown() {
      return node.place().shown();
    }

    long groups() {
      long slots = (size + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE;
      return (slots + DumpHeader.TP_NINDIR - 1) / DumpHeader.TP_NINDIR;
    }

    /** The bytes of group {@code g}: a whole group, or what the file has left. */
    int groupBytes(long g) {
      return (int) Math.min(GROUP_BYTES, size - g * GROUP_BYTES);
    }
  }

  /** Buffers for groups of at most this many bytes: most files of a tree are small. */
  static final int SMALL_BYTES = 64 * 1024;

  /**
   * One worker's task: consecutive groups up to this many bytes, so that a run of small files costs
   * one hand-over between threads instead of one per file.
   */
  static final int BATCH_BYTES = 256 * 1024;

  private final ExecutorService workers;
  private final DirectoryHandles handles;
  private final TreeScanner.StatSource stat;
  private final List<FileRef> order;
  private final Iterator<FileRef> files;
  private int handedOut;
  private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
  private final ArrayDeque<ByteBuffer> freeSmall = new ArrayDeque<>();
  private final ArrayDeque<Future<Group>> inFlight = new ArrayDeque<>();
  private FileRef scheduling;
  private long nextGroup;

  /** A group to read and the buffer it goes into. */
  private record Job(FileRef file, long index, ByteBuffer buffer, CompletableFuture<Group> done) {}

  /**
   * Reads {@code files} (in the order the writer takes them) with {@code workers} threads, keeping
   * up to two large groups per worker, or sixteen small ones, ready or in progress, opening them
   * below the directories {@code handles} gives.
   */
  ReadAhead(
      List<FileRef> files, int workers, DirectoryHandles handles, TreeScanner.StatSource stat) {
    if (workers < 1) {
      throw new IllegalArgumentException("at least one worker");
    }
    this.handles = handles;
    this.stat = stat;
    this.order = files;
    this.files = files.iterator();
    this.workers = daemonPool(workers, "jdump-reader");
    for (int i = 0; i < 2 * workers + 1; i++) {
      free.add(ByteBuffer.allocateDirect(GROUP_BYTES));
    }
    for (int i = 0; i < 16 * workers + 1; i++) {
      freeSmall.add(ByteBuffer.allocateDirect(SMALL_BYTES));
    }
  }

  /** {@code n} threads named {@code name} that do not keep the JVM alive. */
  static ExecutorService daemonPool(int n, String name) {
    return Executors.newFixedThreadPool(
        n,
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** The data of the next file in the list, which must be {@code node}'s. */
  FileData next(TreeScanner.Node node) {
    FileRef ref = handedOut < order.size() ? order.get(handedOut) : null;
    if (ref == null || ref.node != node) {
      throw new IllegalStateException("read ahead out of step at " + node.place());
    }
    handedOut++;
    return new FileData(ref);
  }

  /**
   * Stops the workers and waits for the reads in progress (a few groups), so that no handle is used
   * after the caller closes them.
   */
  @Override
  public void close() throws InterruptedIOException {
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new InterruptedIOException("file reads did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping the file reads");
    }
  }

  /** One file's data as the writer takes it, group by group. */
  final class FileData implements InodeData {
    private final FileRef file;
    private String problem;
    private Group first;
    private boolean started;
    private int flags;
    private List<Xattr> xattrs = List.of();

    private FileData(FileRef file) {
      this.file = file;
    }

    /** The file's inode flags, read with its first group (which this waits for). */
    int flags() throws IOException {
      firstGroup();
      return flags;
    }

    /** The file's extended attributes, read with its first group (which this waits for). */
    List<Xattr> xattrs() throws IOException {
      firstGroup();
      return xattrs;
    }

    private void firstGroup() throws IOException {
      if (!started) {
        first = (Group) group(0);
      }
    }

    @Override
    public long slots() {
      return (file.size + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE;
    }

    @Override
    public boolean read(long slot, byte[] record) {
      throw new UnsupportedOperationException("read ahead by groups");
    }

    @Override
    public SlotGroup group(long g) throws IOException {
      if (g == 0 && first != null) {
        Group taken = first;
        first = null;
        return taken;
      }
      started = true;
      Group group = take();
      if (group.file != file || group.index != g) {
        group.release();
        throw new IllegalStateException(
            "read ahead out of step: " + group.file.shown() + " group " + group.index);
      }
      if (problem == null) {
        problem = group.problem;
      }
      if (g == 0) {
        flags = group.flags;
        xattrs = group.xattrs;
      }
      if (g == file.groups() - 1) {
        // Every read of the file is done: its directory may be closed.
        if (file.dir != null) {
          handles.release(file.node.place().parent());
        }
      }
      return group;
    }

    /** What went wrong reading the file so far, or null. */
    String problem() {
      return problem;
    }
  }

  /** A group read by a worker; the first of a file also has its flags and attributes. */
  private final class Group implements SlotGroup {
    final FileRef file;
    final long index;
    final ByteBuffer buffer;
    final int slots;
    final boolean[] present;
    final String problem;
    int flags;
    List<Xattr> xattrs = List.of();

    Group(FileRef file, long index, ByteBuffer buffer, int slots, String problem) {
      this(file, index, buffer, slots, problem, SlotGroup.presentSlots(buffer, slots));
    }

    Group(
        FileRef file, long index, ByteBuffer buffer, int slots, String problem, boolean[] present) {
      this.file = file;
      this.index = index;
      this.buffer = buffer;
      this.slots = slots;
      this.present = present;
      this.problem = problem;
    }

    /** Whether every slot is a hole. */
    boolean empty() {
      for (boolean p : present) {
        if (p) {
          return false;
        }
      }
      return true;
    }

    @Override
    public ByteBuffer data() {
      return buffer;
    }

    @Override
    public int slots() {
      return slots;
    }

    @Override
    public boolean present(int i) {
      return present[i];
    }

    @Override
    public void release() {
      (buffer.capacity() == SMALL_BYTES ? freeSmall : free).add(buffer);
    }
  }

  private Group take() throws IOException {
    topUp();
    Future<Group> next = inFlight.poll();
    if (next == null) {
      throw new IllegalStateException("read ahead has no more files");
    }
    try {
      return next.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading ahead");
    } catch (ExecutionException e) {
      throw new IOException("reading ahead: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Starts reads while buffers are free: consecutive groups, up to {@link #BATCH_BYTES}, go to one
   * worker together.
   */
  private void topUp() {
    List<Job> batch = new ArrayList<>();
    long batchBytes = 0;
    while (advance()) {
      int length = scheduling.groupBytes(nextGroup);
      ArrayDeque<ByteBuffer> pool = length <= SMALL_BYTES ? freeSmall : free;
      if (pool.isEmpty()) {
        break;
      }
      if (!batch.isEmpty() && batchBytes + length > BATCH_BYTES) {
        submit(batch);
        batch = new ArrayList<>();
        batchBytes = 0;
      }
      Job job = new Job(scheduling, nextGroup++, pool.poll(), new CompletableFuture<>());
      batch.add(job);
      batchBytes += length;
      inFlight.add(job.done());
    }
    if (!batch.isEmpty()) {
      submit(batch);
    }
  }

  private void submit(List<Job> batch) {
    workers.execute(
        () -> {
          for (Job j : batch) {
            try {
              j.done().complete(read(j.file(), j.index(), j.buffer()));
            } catch (RuntimeException | Error e) {
              j.done().completeExceptionally(e);
            }
          }
        });
  }

  private boolean advance() {
    while (scheduling == null || nextGroup >= scheduling.groups()) {
      if (!files.hasNext()) {
        return false;
      }
      scheduling = files.next();
      nextGroup = 0;
      try {
        scheduling.dir = handles.acquire(scheduling.node.place().parent());
      } catch (IOException e) {
        scheduling.dir = null;
        scheduling.dirProblem =
            e instanceof FsException f && f.notFound()
                ? "vanished while being dumped"
                : "could not be read: " + cause(e);
      }
    }
    return true;
  }

  /** Reads group {@code g} of {@code f} into {@code buffer}; never fails, notes problems. */
  private Group read(FileRef f, long g, ByteBuffer buffer) {
    long start = g * GROUP_BYTES;
    int length = f.groupBytes(g);
    int slots = (length + DumpHeader.TP_BSIZE - 1) / DumpHeader.TP_BSIZE;
    buffer.clear().limit(length);
    String problem = f.dirProblem;
    boolean last = g == f.groups() - 1;
    int flags = 0;
    List<Xattr> xattrs = List.of();
    if (f.dir != null) {
      try (FileHandle h =
          f.dir.open(f.node.place().name(), Directory.Access.READ, Directory.Create.NO, false, 0)) {
        if (g == 0) {
          try {
            flags = h.inodeFlags();
            xattrs = h.xattrs();
          } catch (FsException e) {
            problem = "attributes could not be read: " + e.cause();
          }
        }
        if (f.holey.get() && !last && Holes.none(h, start, length)) {
          if (stat.status(h).ino() == f.node.fsIno()) {
            // All hole: no slot is present, so the buffer's bytes are never looked at.
            return new Group(f, g, buffer, slots, null, new boolean[slots]);
          }
        }
        while (buffer.hasRemaining() && h.read(buffer, start + buffer.position()) >= 0) {
          // positional reads until the group is full or the file ends
        }
        FileStatus st = stat.status(h);
        if (st.ino() != f.node.fsIno()) {
          problem = "was replaced while being dumped (another file has its name)";
          flags = 0;
          xattrs = List.of();
          buffer.position(0);
        } else if (buffer.hasRemaining() || (last && st.size() != f.size)) {
          problem = CHANGED;
        }
      } catch (FsException e) {
        problem = e.notFound() ? "vanished while being dumped" : "could not be read: " + e.cause();
      }
    }
    int got = buffer.position();
    buffer.clear();
    buffer.put(got, ZEROS, 0, slots * DumpHeader.TP_BSIZE - got);
    Group group = new Group(f, g, buffer, slots, problem);
    group.flags = flags;
    group.xattrs = xattrs;
    if (slots == DumpHeader.TP_NINDIR && group.empty()) {
      f.holey.set(true);
    }
    return group;
  }

  /** A short cause for a warning line. */
  static String cause(IOException e) {
    if (e instanceof FsException f) {
      return f.cause();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
