package org.jrmt.tests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.jrmt.protocol.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pieces of {@code bench/run} that decide what the benchmark document says: the report (ratios
 * of medians, pass and short marks, skipped cases, the hand-written text kept) and the data set
 * (exact size and file count, incompressible). The measurements themselves are not tested: they are
 * benchmarks.
 */
class BenchHarnessTest {
  @TempDir Path tmp;

  private static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("bench/lib/report.py"))) {
        return p;
      }
    }
    throw new IllegalStateException("no bench/lib/report.py above " + Path.of("").toAbsolutePath());
  }

  private static String run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void reportMarksTargetsFromMediansOfTheSameRunAndKeepsTheHandWrittenText() throws Exception {
    Path python = Peers.require("python3");
    Path results = tmp.resolve("results");
    Files.write(
        results,
        List.of(
            "case\tdump.local.tar\tMB/s\t100 200 300",
            "case\tdump.local.jdump\tMB/s\t90 100 500",
            "case\tdump.net.1024.dump-ssh\tMB/s\t50",
            "case\tdump.net.1024.jdump-tls\tMB/s\t120",
            "case\tdump.warm.local.tar\tMB/s\t800",
            "case\tdump.warm.local.jdump\tMB/s\t400",
            "case\tjmh.SimhWriteBenchmark.simhTape\tops/s\t80 90 100",
            "case\tjmh.SimhWriteBenchmark.fileChannelSameBytes\tops/s\t100",
            "skip\tdump.net.10.dump-ssh\tno loop device",
            "meta\tquick\t0",
            "meta\telapsed\t61"));
    Path doc = tmp.resolve("benchmarks.md");
    Files.writeString(
        doc, "# Intro kept\n\n<!-- bench:begin -->\nold\n<!-- bench:end -->\n\nNotes kept\n");

    run(
        tmp,
        python.toString(),
        root().resolve("bench/lib/report.py").toString(),
        "results",
        "benchmarks.md",
        "1");

    String text = Files.readString(doc);
    assertThat(text)
        .startsWith("# Intro kept\n")
        .endsWith("\n\nNotes kept\n")
        .doesNotContain("\nold\n");
    // median 100 against the anchor's median 200: 0.50, short of 1 ×
    assertThat(line(text, "jdump to a local file")).contains("0.50 ×").contains("**short**");
    // the warm runs are shown beside the cold ones the target is judged on
    assertThat(line(text, "jdump to a local file")).contains("warm 400 vs 800: 0.50 ×");
    assertThat(text)
        .contains("### Dump speed, caches emptied")
        .contains("### Dump speed, the tree");
    // 120 / 50 = 2.4, at least 2 ×
    assertThat(line(text, "`-b 1024`")).contains("2.40 ×").contains("**pass**");
    // 90 / 100 = 0.9: the threshold itself passes
    assertThat(line(text, "SimhTape 64 KiB")).contains("0.90 ×").contains("**pass**");
    assertThat(line(text, "`-b 10`")).contains("not run");
    assertThat(text).contains("- `dump.net.10.dump-ssh`: no loop device");
    assertThat(line(text, "`bin/jdump -0 -b 128 -f FILE TREE`")).contains("100 (90.0–500)");
  }

  @Test
  void costIsTheSlopeBetweenTheTwoTreesRunByRunAndTheTargetsAreCeilings() throws Exception {
    Path python = Peers.require("python3");
    Path results = tmp.resolve("results");
    Files.write(
        results,
        List.of(
            // 0.5 GB and 2 GB trees: 1.5 GB between them
            "meta\tcost_bytes_S\t500000000",
            "meta\tcost_bytes_L\t2000000000",
            "meta\twan_bytes\t40000000",
            "case\tcost.tar-local.S.client\tcpu-s\t0.5 0.5",
            "case\tcost.tar-local.L.client\tcpu-s\t2.0 2.0",
            // runs paired by round: (3.25 - 1.0) / 1.5 = 1.5 and (3.85 - 1.3) / 1.5 = 1.7
            "case\tcost.jdump-local.S.client\tcpu-s\t1.0 1.3",
            "case\tcost.jdump-local.L.client\tcpu-s\t3.25 3.85",
            "case\tcost.jdump-local.L.wall\ts\t4 5",
            "case\tcost.jdump-tls.S.client\tcpu-s\t2.0",
            "case\tcost.jdump-tls.L.client\tcpu-s\t5.5",
            "case\tcost.jdump-tls.S.server\tcpu-s\t0.4",
            "case\tcost.jdump-tls.L.server\tcpu-s\t1.6",
            "case\ttwohost.tls.S.wall\ts\t2",
            "case\ttwohost.tls.L.wall\ts\t5",
            "case\twan.64k.0.wall\ts\t2.0",
            "case\twan.64k.20.wall\ts\t2.5",
            "case\tstartup.jrestore-t.wall\ts\t0.09 0.10 0.30",
            "skip\tcost.dump-ssh\tno loop device",
            "meta\tquick\t0"));
    Path doc = tmp.resolve("benchmarks.md");
    Files.writeString(doc, "<!-- bench:begin -->\n<!-- bench:end -->\n");

    run(
        tmp,
        python.toString(),
        root().resolve("bench/lib/report.py").toString(),
        "results",
        "benchmarks.md",
        "1");

    String text = Files.readString(doc);
    // median of the per-round slopes 1.5 and 1.7; fixed = small - slope * 0.5: 0.25 and 0.45
    String jdump = line(text, "| `jdump -0 -b 1024 -f FILE TREE` → local file |");
    assertThat(jdump).contains("| 1.60 (1.50–1.70) |").contains("| 1.60 × |");
    assertThat(jdump).contains("| 0.350 (0.250–0.450) |");
    // 2 GB over 4 and 5 s
    assertThat(jdump).endsWith("| 450 (400–500) |");
    assertThat(line(text, "≤ 1.5 × GNU tar's")).contains("1.60 ×").contains("**short**");
    // (5.5 - 2.0) / 1.5 = 2.33 > 2.0; the server's (1.6 - 0.4) / 1.5 = 0.8 is the ceiling itself
    assertThat(line(text, "client ≤ 2.0 CPU-s/GB")).contains("2.33 CPU-s/GB").contains("**short**");
    assertThat(line(text, "server (jrmtd) ≤ 0.8")).contains("0.80 CPU-s/GB").contains("**pass**");
    assertThat(line(text, "`jdump -b 1024` → jrmtd, TLS, SIMH tape | jrmtd |"))
        .contains("| 0.800 |");
    assertThat(line(text, "two one-core hosts"))
        .contains("400 MB/s (whole run)")
        .contains("**pass**");
    // the streaming rate: 1.5 GB more in 3 s more
    assertThat(line(text, "| TLS |")).contains("| 400 | 500 |");
    assertThat(line(text, "across 20 ms RTT")).contains("80 %").contains("**pass**");
    assertThat(line(text, "`jrestore -t` of a tiny dump")).contains("0.10 s").contains("**pass**");
    assertThat(line(text, "Linux `dump -b 1024` → ssh")).contains("skipped");
  }

  @Test
  void marginalProfileIsTheDifferenceOfTwoRunsPerGbByKindAndThread() throws Exception {
    Path python = Peers.require("python3");
    Path small = profileRun("small", 1_000_000_000L, 1000, 500, 700, 800);
    Path large = profileRun("large", 3_000_000_000L, 5000, 1500, 5000, 2000);

    String out =
        run(
            tmp,
            python.toString(),
            root().resolve("bench/lib/profile_diff.py").toString(),
            small.toString(),
            large.toString());

    // 1.5 CPU-s (1 ms samples) on 1 GB, 6.5 on 3 GB: 5 CPU-s more for 2 GB more
    assertThat(out)
        .contains("== x.jdump: 1.50 CPU-s on 1000000000 bytes, 6.50 on 3000000000")
        .contains("2.50 CPU-s/GB marginal");
    assertThat(line(out, "copying bytes")).contains("2.000");
    assertThat(line(out, "garbage collector")).contains("0.500");
    // thread numbers folded: jdump-reader-1 and jdump-reader-2 are one pool
    assertThat(line(out, "jdump-reader")).contains("2.150");
    assertThat(line(out, "C2 CompilerThread")).contains("0.600");
    String summary =
        run(
            tmp,
            python.toString(),
            root().resolve("bench/lib/profile_summary.py").toString(),
            large.resolve("x.jdump").toString());
    assertThat(summary.lines().findFirst().orElseThrow())
        .startsWith("6500 CPU samples; 0 MB allocated");
    assertThat(line(summary, "DumpWriter.put")).contains("76.9 %");
  }

  /** A bench/profile output directory with one process's CPU profile: the counts given. */
  private Path profileRun(String name, long bytes, int copy, int gc, int reader, int compiler)
      throws Exception {
    Path d = Files.createDirectories(tmp.resolve(name));
    Files.writeString(
        d.resolve("run.txt"),
        "tree 10 files " + bytes + " bytes\nasync-profiler 4.1 interval 1ms alloc 512k\n");
    Files.writeString(
        d.resolve("x.jdump.cpu.collapsed"),
        "main;org/jrmt/dump/DumpWriter.put_[j];__memmove_avx_unaligned_erms "
            + copy
            + "\nmain;G1ParScanThreadState::trim_queue_to_threshold "
            + gc
            + "\n");
    Files.writeString(
        d.resolve("x.jdump.cpu-threads.collapsed"),
        "[jdump-reader-"
            + name.length()
            + " tid=12];a "
            + reader
            + "\n[C2 CompilerThread"
            + name.length()
            + " tid=3];b "
            + compiler
            + "\n");
    return d;
  }

  private static String line(String text, String containing) {
    return text.lines()
        .filter(l -> l.contains(containing))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + text));
  }

  @Test
  void dataSetHasTheAskedSizeAndFileCountAndDoesNotCompress() throws Exception {
    Path python = Peers.require("python3");
    Path tree = tmp.resolve("tree");
    String out =
        run(
            tmp,
            python.toString(),
            root().resolve("bench/lib/dataset.py").toString(),
            tree.toString(),
            "300",
            "3");
    assertThat(out.strip()).startsWith("files 300 bytes 3000000 dirs ");
    List<Path> files;
    try (Stream<Path> s = Files.walk(tree)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertThat(files).hasSize(300);
    long total = 0;
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      for (Path f : files) {
        byte[] b = Files.readAllBytes(f);
        total += b.length;
        z.write(b);
      }
    }
    assertThat(total).isEqualTo(3_000_000);
    assertThat(gz.size()).as("gzip of the whole set").isGreaterThan(2_990_000);
    assertThat(depth(tree, files)).as("directory depth").isLessThanOrEqualTo(5);
  }

  private static int depth(Path tree, List<Path> files) {
    return files.stream().mapToInt(f -> tree.relativize(f).getNameCount()).max().orElse(0);
  }
}
