package org.jrmt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jrmt.client.DeviceName.Local;
import org.jrmt.client.DeviceName.Remote;
import org.jrmt.client.DeviceName.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceNameTest {
  @Test
  void classicHostPath() {
    assertThat(DeviceName.parse("tapehost:/dev/nst0"))
        .isEqualTo(new Remote(Scheme.HOST_PATH, null, "tapehost", -1, "/dev/nst0"));
    assertThat(DeviceName.parse("backup@tapehost:monday"))
        .isEqualTo(new Remote(Scheme.HOST_PATH, "backup", "tapehost", -1, "monday"));
  }

  @Test
  void userIsTakenFromTheHostPartOnly() {
    // GNU tar 1.34 would read this as user "host", host "b".
    assertThat(DeviceName.parse("host:/tmp/a@b"))
        .isEqualTo(new Remote(Scheme.HOST_PATH, null, "host", -1, "/tmp/a@b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dev/nst0", "./host:x", "/a:b", "archive.tar", ":x", "dir/h:x"})
  void namesWithoutAColonBeforeAnySlashAreLocal(String name) {
    assertThat(DeviceName.parse(name)).isEqualTo(new Local(name));
  }

  @Test
  void urls() {
    assertThat(DeviceName.parse("rmt://tapehost/monday"))
        .isEqualTo(new Remote(Scheme.RMT, null, "tapehost", -1, "monday"));
    assertThat(DeviceName.parse("rmts://ops@tapehost:4769/dev/nst0"))
        .isEqualTo(new Remote(Scheme.RMTS, "ops", "tapehost", 4769, "/dev/nst0"));
    assertThat(DeviceName.parse("rmt://[::1]:4768/t1"))
        .isEqualTo(new Remote(Scheme.RMT, null, "::1", 4768, "t1"));
  }

  @Test
  void badRemoteNamesSayWhy() {
    assertThatThrownBy(() -> DeviceName.parse("bad user@h:x")).hasMessageContaining("invalid user");
    assertThatThrownBy(() -> DeviceName.parse("@h:x")).hasMessageContaining("invalid user");
    assertThatThrownBy(() -> DeviceName.parse("h:")).hasMessageContaining("no device");
    assertThatThrownBy(() -> DeviceName.parse("h:a\nb")).hasMessageContaining("newline");
    assertThatThrownBy(() -> DeviceName.parse("rmt://h:99999/t")).hasMessageContaining("port");
    assertThatThrownBy(() -> DeviceName.parse("rmt://h")).hasMessageContaining("no device");
    assertThatThrownBy(() -> DeviceName.parse("rmts:///t")).hasMessageContaining("no host");
  }
}
