package dev.wakegate.relay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrontStateTest {

    @Test
    void everyStateCanCloseAndClosedIsFinal() {
        for (FrontState s : FrontState.values()) {
            if (s != FrontState.CLOSED) {
                assertThat(s.check(FrontState.CLOSED)).isEqualTo(FrontState.CLOSED);
            }
            assertThatThrownBy(() -> FrontState.CLOSED.check(s)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void illegalTransitionsAreRefusedInOnePlace() {
        assertThatThrownBy(() -> FrontState.READ_HEAD.check(FrontState.PROXYING))
                .hasMessageContaining("READ_HEAD -> PROXYING");
        assertThatThrownBy(() -> FrontState.UPGRADED.check(FrontState.READ_HEAD)).isInstanceOf(IllegalStateException.class);
        assertThat(FrontState.PARKED.check(FrontState.CONNECTING)).isEqualTo(FrontState.CONNECTING);
    }
}
