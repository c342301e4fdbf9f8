/* Prints the tape ioctl constants and struct layouts of this system's <sys/mtio.h>,
 * one "name=value" per line, for MtioLayoutTest to compare with the Java binding. */
#include <stddef.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mtio.h>

#define SHOW(name, value) printf("%s=%ld\n", name, (long)(value))

int main(void) {
  SHOW("MTIOCTOP", MTIOCTOP);
  SHOW("MTIOCGET", MTIOCGET);
  SHOW("MTIOCPOS", MTIOCPOS);
  SHOW("sizeof.mtop", sizeof(struct mtop));
  SHOW("offsetof.mtop.mt_op", offsetof(struct mtop, mt_op));
  SHOW("offsetof.mtop.mt_count", offsetof(struct mtop, mt_count));
  SHOW("sizeof.mtget", sizeof(struct mtget));
  SHOW("offsetof.mtget.mt_type", offsetof(struct mtget, mt_type));
  SHOW("offsetof.mtget.mt_resid", offsetof(struct mtget, mt_resid));
  SHOW("offsetof.mtget.mt_dsreg", offsetof(struct mtget, mt_dsreg));
  SHOW("offsetof.mtget.mt_gstat", offsetof(struct mtget, mt_gstat));
  SHOW("offsetof.mtget.mt_erreg", offsetof(struct mtget, mt_erreg));
  SHOW("offsetof.mtget.mt_fileno", offsetof(struct mtget, mt_fileno));
  SHOW("offsetof.mtget.mt_blkno", offsetof(struct mtget, mt_blkno));
  SHOW("sizeof.mtpos", sizeof(struct mtpos));
  SHOW("MTFSF", MTFSF);
  SHOW("MTBSF", MTBSF);
  SHOW("MTFSR", MTFSR);
  SHOW("MTBSR", MTBSR);
  SHOW("MTWEOF", MTWEOF);
  SHOW("MTREW", MTREW);
  SHOW("MTOFFL", MTOFFL);
  SHOW("MTNOP", MTNOP);
  SHOW("MTEOM", MTEOM);
  SHOW("MTERASE", MTERASE);
  SHOW("MTSETBLK", MTSETBLK);
  SHOW("GMT_EOF", GMT_EOF(~0L));
  SHOW("GMT_BOT", GMT_BOT(~0L));
  SHOW("GMT_EOT", GMT_EOT(~0L));
  SHOW("GMT_SM", GMT_SM(~0L));
  SHOW("GMT_EOD", GMT_EOD(~0L));
  SHOW("GMT_WR_PROT", GMT_WR_PROT(~0L));
  SHOW("GMT_ONLINE", GMT_ONLINE(~0L));
  return 0;
}
