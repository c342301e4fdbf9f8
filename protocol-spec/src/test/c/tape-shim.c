/*
 * tape-shim.c: an LD_PRELOAD library that makes any open file look like a Linux tape drive
 * to a real rmt server, so that its S (status), I (MTIOCTOP) and L 10/11 (MTIOCPOS/MTSEEK)
 * replies can be captured without tape hardware.
 *
 * Build: gcc -shared -fPIC -O2 -o target/tape-shim.so tape-shim.c -ldl
 *
 * Behaviour (the harness of the rmt protocol reference, section 0):
 *   MTIOCGET  fills struct mtget with fixed values: type 0x72, resid 0x11, dsreg 0x22,
 *             gstat 0x41010000, erreg 0x33, fileno 2, blkno 7; returns 0.
 *   MTIOCTOP  succeeds without touching mt_count, unless mt_op < 0 or mt_op > 40: EINVAL.
 *   MTIOCPOS  answers mt_blkno 7; returns 0.
 *   Every other request goes to the real ioctl (dlsym(RTLD_NEXT)).
 * When TAPE_SHIM_LOG names a file, one line per intercepted call is appended to it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mtio.h>
#include <unistd.h>

typedef int (*ioctl_fn)(int, unsigned long, ...);

static void shim_log(const char *fmt, ...) {
  const char *path = getenv("TAPE_SHIM_LOG");
  if (path == NULL || *path == '\0') {
    return;
  }
  char line[160];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n <= 0) {
    return;
  }
  if ((size_t)n >= sizeof line) {
    n = sizeof line - 1;
  }
  int saved = errno;
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd >= 0) {
    ssize_t ignored = write(fd, line, (size_t)n);
    (void)ignored;
    close(fd);
  }
  errno = saved;
}

int ioctl(int fd, unsigned long request, ...) {
  va_list ap;
  va_start(ap, request);
  void *arg = va_arg(ap, void *);
  va_end(ap);

  if (request == MTIOCGET) {
    struct mtget *status = arg;
    memset(status, 0, sizeof *status);
    status->mt_type = 0x72;
    status->mt_resid = 0x11;
    status->mt_dsreg = 0x22;
    status->mt_gstat = 0x41010000;
    status->mt_erreg = 0x33;
    status->mt_fileno = 2;
    status->mt_blkno = 7;
    shim_log("MTIOCGET fd=%d\n", fd);
    return 0;
  }
  if (request == MTIOCTOP) {
    struct mtop *op = arg;
    shim_log("MTIOCTOP fd=%d op=%d count=%d\n", fd, (int)op->mt_op, op->mt_count);
    if (op->mt_op < 0 || op->mt_op > 40) {
      errno = EINVAL;
      return -1;
    }
    return 0;
  }
  if (request == MTIOCPOS) {
    struct mtpos *pos = arg;
    pos->mt_blkno = 7;
    shim_log("MTIOCPOS fd=%d\n", fd);
    return 0;
  }

  static ioctl_fn real_ioctl;
  if (real_ioctl == NULL) {
    real_ioctl = (ioctl_fn)dlsym(RTLD_NEXT, "ioctl");
    if (real_ioctl == NULL) {
      errno = ENOSYS;
      return -1;
    }
  }
  return real_ioctl(fd, request, arg);
}
