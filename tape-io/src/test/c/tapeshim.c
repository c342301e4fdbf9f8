/* LD_PRELOAD shim that makes a regular file look like a tape drive to the process it is loaded
 * into, so DriveTape's native path (open, read, write, MTIOCTOP, MTIOCGET, MTIOCPOS) can be
 * tested without hardware.
 *
 * The first tape ioctl on a regular file makes that descriptor "the tape". The shim keeps the
 * file and block numbers, moved only by ioctls (jnr-posix binds read and write inside the C
 * library, out of the shim's reach): WEOF/FSF/BSF move the file number, REW also seeks the file
 * back to offset 0, EOM seeks to its end (block number unknown, as st after a fast EOM), BSF past
 * the beginning fails with EIO after moving to offset 0 (a drive stops at BOT), unknown ops fail
 * with EINVAL. Every other ioctl, and every other descriptor, goes to the C library unchanged. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/mtio.h>
#include <sys/stat.h>
#include <unistd.h>

static long file_no;
static long block_no;
static long block_size;
static long logical_block;

static int is_regular(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static int do_op(int fd, const struct mtop *op) {
  switch (op->mt_op) {
    case MTNOP:
      return 0;
    case MTSETBLK:
      block_size = op->mt_count;
      return 0;
    case MTREW:
      file_no = 0;
      block_no = 0;
      logical_block = 0;
      lseek(fd, 0, SEEK_SET);
      return 0;
    case MTWEOF:
      file_no += op->mt_count;
      logical_block += op->mt_count;
      block_no = 0;
      return 0;
    case MTFSF:
      file_no += op->mt_count;
      logical_block += op->mt_count;
      block_no = 0;
      return 0;
    case MTEOM:
      lseek(fd, 0, SEEK_END);
      block_no = -1;
      return 0;
    case MTBSF:
      if (op->mt_count > file_no) {
        file_no = 0;
        block_no = 0;
        logical_block = 0;
        lseek(fd, 0, SEEK_SET);
        errno = EIO;
        return -1;
      }
      file_no -= op->mt_count;
      logical_block -= op->mt_count;
      block_no = -1; /* like st: unknown after spacing back over a filemark */
      return 0;
    default:
      errno = EINVAL;
      return -1;
  }
}

int ioctl(int fd, unsigned long request, ...) {
  static int (*real_ioctl)(int, unsigned long, ...);
  va_list ap;
  va_start(ap, request);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  int tape_request = request == MTIOCTOP || request == MTIOCGET || request == MTIOCPOS;
  /* Any regular file asked a tape question is the drive's stand-in: the test reopens it, and
     the descriptor number it gets back depends on what else the JVM has open. */
  if (tape_request && is_regular(fd)) {
    if (request == MTIOCTOP) {
      return do_op(fd, (const struct mtop *)arg);
    }
    if (request == MTIOCPOS) {
      ((struct mtpos *)arg)->mt_blkno = logical_block;
      return 0;
    }
    struct mtget *get = (struct mtget *)arg;
    int flags = fcntl(fd, F_GETFL);
    get->mt_type = MT_ISSCSI2;
    get->mt_resid = 0;
    get->mt_dsreg = block_size & MT_ST_BLKSIZE_MASK;
    get->mt_gstat = GMT_ONLINE(~0L);
    if (file_no == 0 && block_no == 0) {
      get->mt_gstat |= GMT_BOT(~0L);
    }
    if ((flags & O_ACCMODE) == O_RDONLY) {
      get->mt_gstat |= GMT_WR_PROT(~0L);
    }
    get->mt_erreg = 0;
    get->mt_fileno = (int)file_no;
    get->mt_blkno = (int)block_no;
    return 0;
  }
  if (!real_ioctl) {
    real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
  }
  return real_ioctl(fd, request, arg);
}
