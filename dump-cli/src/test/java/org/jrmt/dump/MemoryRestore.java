package org.jrmt.dump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Test helper: reads a whole single-volume dump into memory and describes the tree it holds in the
 * dump lab's signature format ({@code path|type|mode|uid:gid|size|md5 prefix|links=N}).
 */
final class MemoryRestore {
  final List<DumpHeader> headers = new ArrayList<>();
  final Map<Integer, DumpHeader> inodes = new LinkedHashMap<>();
  final Map<Integer, byte[]> data = new LinkedHashMap<>();
  final List<String> problems = new ArrayList<>();

  /** Per inode, the data of its EA record (di_size bytes), when it has one. */
  final Map<Integer, byte[]> eaRecords = new LinkedHashMap<>();

  InodeMap clri;
  InodeMap bits;
  long records;

  static MemoryRestore read(InputStream in) throws IOException {
    MemoryRestore r = new MemoryRestore();
    DumpReader reader = new DumpReader(in);
    byte[] rec = new byte[DumpHeader.TP_BSIZE];
    ByteArrayOutputStream current = null;
    int currentIno = 0;
    DumpHeader h;
    while ((h = reader.nextHeader()) != null) {
      r.headers.add(h);
      switch (h.type()) {
        case CLRI, BITS -> {
          ByteArrayOutputStream map = new ByteArrayOutputStream();
          for (int i = 0; i < h.count(); i++) {
            reader.readData(rec);
            map.write(rec);
          }
          InodeMap m = InodeMap.decode(map.toByteArray());
          if (h.type() == HeaderType.CLRI) {
            r.clri = m;
          } else {
            r.bits = m;
          }
        }
        case INODE, ADDR -> {
          boolean extendedAttributes = (h.flags() & 0x8000) != 0;
          if (h.type() == HeaderType.INODE && !extendedAttributes) {
            r.finish(currentIno, current);
            currentIno = h.inumber();
            current = new ByteArrayOutputStream();
            r.inodes.put(currentIno, h);
          }
          ByteArrayOutputStream ea = extendedAttributes ? new ByteArrayOutputStream() : null;
          for (int i = 0; i < h.count(); i++) {
            if (h.present(i)) {
              reader.readData(rec);
              if (!extendedAttributes) {
                current.write(rec);
              } else {
                ea.write(rec);
              }
            } else if (!extendedAttributes) {
              current.write(new byte[DumpHeader.TP_BSIZE]);
            }
          }
          if (ea != null) {
            r.eaRecords.put(h.inumber(), Arrays.copyOf(ea.toByteArray(), (int) h.size()));
          }
        }
        case END -> {
          r.finish(currentIno, current);
          r.records = reader.recordsRead();
          return r;
        }
        case TAPE -> {}
      }
    }
    throw new IOException("no TS_END");
  }

  private void finish(int ino, ByteArrayOutputStream out) {
    if (out != null) {
      byte[] all = out.toByteArray();
      int size = (int) Math.min(all.length, inodes.get(ino).size());
      byte[] exact = new byte[size];
      System.arraycopy(all, 0, exact, 0, size);
      data.put(ino, exact);
    }
  }

  /** The signature lines of the tree below the root (inode 2), sorted. */
  TreeSet<String> signature() throws NoSuchAlgorithmException {
    TreeSet<String> lines = new TreeSet<>();
    walk(2, ".", lines);
    return lines;
  }

  private void walk(int dirIno, String path, TreeSet<String> lines)
      throws NoSuchAlgorithmException {
    lines.add(describe(dirIno, path));
    for (DirectoryEntry e : DirectoryEntry.decode(data.get(dirIno), problems)) {
      String name = new String(e.name(), StandardCharsets.UTF_8);
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      String child = path + "/" + name;
      DumpHeader h = inodes.get(e.ino());
      if (h == null) {
        problems.add(child + ": inode " + e.ino() + " not on the dump");
      } else if (h.isDirectory()) {
        walk(e.ino(), child, lines);
      } else {
        lines.add(describe(e.ino(), child));
      }
    }
  }

  private String describe(int ino, String path) throws NoSuchAlgorithmException {
    DumpHeader h = inodes.get(ino);
    byte[] d = data.getOrDefault(ino, new byte[0]);
    String owner = h.uid() + ":" + h.gid();
    String perms = Integer.toOctalString(h.mode() & 07777);
    return switch (h.mode() & 0xF000) {
      case 0x4000 -> path + "|directory|" + perms + "|" + owner;
      case 0xA000 ->
          path
              + "|symbolic link|"
              + perms
              + "|"
              + owner
              + "|->"
              + new String(d, StandardCharsets.UTF_8);
      case 0x2000 -> path + "|character special file|" + perms + "|" + owner;
      case 0x6000 -> path + "|block special file|" + perms + "|" + owner;
      case 0x1000 -> path + "|fifo|" + perms + "|" + owner;
      case 0xC000 -> path + "|socket|" + perms + "|" + owner;
      default -> {
        String md5 =
            HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(d)).substring(0, 12);
        yield path
            + "|"
            + (h.size() == 0 ? "regular empty file" : "regular file")
            + "|"
            + perms
            + "|"
            + owner
            + "|"
            + h.size()
            + "|"
            + md5
            + "|links="
            + h.nlink();
      }
    };
  }
}
