package org.jrmt.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's TLS contexts, built once per configuration for the life of the process.
 *
 * <p>Building one loads the native TLS library, reads the PEM files and sets up the key and trust
 * managers: a third of a second that a short-lived command (jdump, jrestore, jmt) would otherwise
 * pay at every volume it opens. {@link RemoteTapes#prepare} starts the build in the background so
 * that it overlaps with the caller's own work (jdump's scan of the tree). A context is keyed by the
 * configuration and by the contents of its CA, certificate and key files (a few KiB), so files
 * replaced on disk (a renewed certificate, even copied with its old time stamp) are read again.
 */
final class ClientTls {
  private record Key(ClientConfig config, List<Object> files) {}

  /** More configurations than any client uses: past this, the cache starts again. */
  private static final int MOST_KEPT = 8;

  private static final ConcurrentHashMap<Key, CompletableFuture<SslContext>> CONTEXTS =
      new ConcurrentHashMap<>();

  private ClientTls() {}

  /** The TLS client context of {@code config}, hostname verification on. */
  static SslContext context(ClientConfig config) throws IOException {
    Key key = new Key(config, fileStates(config));
    if (CONTEXTS.size() >= MOST_KEPT && !CONTEXTS.containsKey(key)) {
      CONTEXTS.clear(); // old file states of renewed certificates
    }
    CompletableFuture<SslContext> mine = new CompletableFuture<>();
    CompletableFuture<SslContext> theirs = CONTEXTS.putIfAbsent(key, mine);
    if (theirs != null) {
      try {
        return theirs.join();
      } catch (CompletionException e) {
        return build(config); // their build failed: ours gives this caller its own message
      }
    }
    try {
      SslContext built = build(config);
      mine.complete(built);
      return built;
    } catch (IOException | RuntimeException e) {
      CONTEXTS.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private static SslContext build(ClientConfig config) throws IOException {
    SslContextBuilder b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
    if (config.ca() != null) {
      b.trustManager(config.ca().toFile());
    }
    if (config.certificate() != null) {
      ClientCredentials.keyManager(b, config.certificate(), config.key());
    }
    return b.build();
  }

  private static List<Object> fileStates(ClientConfig config) {
    List<Object> states = new ArrayList<>();
    for (Path p : new Path[] {config.ca(), config.certificate(), config.key()}) {
      if (p == null) {
        states.add(null);
        continue;
      }
      try {
        states.add(ByteBuffer.wrap(Files.readAllBytes(p))); // compared by content
      } catch (IOException e) {
        states.add(e.getClass()); // unreadable now: the build reports it
      }
    }
    return states;
  }
}
