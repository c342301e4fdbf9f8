package org.jrmt.dump;

import java.io.IOException;

/**
 * One dump written to its volumes, start to end, with the decision about failed devices in one
 * place: when a volume's device fails (not at end of tape) the {@link Retry} policy is asked, the
 * device reopened and the stream generated again from its start, the {@link VolumeWriter} passing
 * over what the volumes before the failed one already hold; the attempts are counted per volume.
 */
public final class DumpJob {
  /** Decides whether a volume whose device failed (not at end of tape) is written again. */
  public interface Retry {
    /** Never: the failure ends the dump. */
    Retry NEVER = (volume, attempt, cause) -> false;

    /**
     * Called before attempt {@code attempt} (from 1) at rewriting {@code volume}; may pause.
     *
     * @return true to reopen the device and rewrite the volume from its start
     */
    boolean again(int volume, int attempt, IOException cause) throws IOException;
  }

  /** One pass of the stream from its start to its end, as often as the job asks for it. */
  public interface Pass {
    /** Generates the whole stream into {@code stream}; returns the number of inodes written. */
    int run(DumpStream stream) throws IOException;
  }

  private final DumpStream stream;
  private final VolumeWriter volumes;
  private final Retry retry;
  private int failedVolume;
  private int attempts;

  /** A job writing its dump onto {@code volumes}, rewriting a volume as {@code retry} says. */
  public DumpJob(VolumeWriter volumes, Retry retry) {
    this.stream = volumes.stream();
    this.volumes = volumes;
    this.retry = retry;
  }

  /** The volumes the job writes to. */
  public VolumeWriter volumes() {
    return volumes;
  }

  /**
   * Runs {@code pass} until the stream is on the volumes.
   *
   * @return what the last pass returned
   * @throws IOException naming the cause when a device failed and the policy gave up, or anything
   *     else went wrong
   */
  public int run(Pass pass) throws IOException {
    while (true) {
      try {
        return pass.run(stream);
      } catch (VolumeWriter.VolumeFailedException failure) {
        rewrite(failure);
      }
    }
  }

  private void rewrite(VolumeWriter.VolumeFailedException failure) throws IOException {
    if (failure.volume() != failedVolume) {
      failedVolume = failure.volume();
      attempts = 0;
    }
    IOException cause = (IOException) failure.getCause();
    while (true) {
      attempts++;
      if (!retry.again(failedVolume, attempts, cause)) {
        throw cause;
      }
      try {
        volumes.rewrite();
        return;
      } catch (IOException e) {
        cause = e;
      }
    }
  }
}
