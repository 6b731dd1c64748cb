package dev.wakegate.relay;

import dev.wakegate.relay.ReadPolicy.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The read rule of a client connection as a table, without Netty (armeria's InboundTrafficController has its own). */
class ReadPolicyTest {
    private static final int HEAD = 100;
    private static final int PARK = 1000;
    private final ReadPolicy policy = new ReadPolicy(HEAD, PARK);

    private static ReadPolicy.Upstream upstream(String what) {
        return new ReadPolicy.Upstream() {
            @Override
            public boolean canTakeBody() {
                return what.equals("writable");
            }

            @Override
            public boolean headPending() {
                return what.equals("head-pending");
            }
        };
    }

    @ParameterizedTest(name = "{0}, {1} bytes held, body received {2}, upstream {3}: {4}")
    @CsvSource({
            // a local answer drops the body as it comes, then reads at most a head ahead
            "LOCAL,      5000, false, none,         READ",
            "LOCAL,        99, true,  none,         READ",
            "LOCAL,       100, true,  none,         HOLD",
            // parked or connecting: the body is held up to the park buffer
            "PARKED,      999, false, none,         READ",
            "PARKED,     1000, false, none,         HOLD",
            "CONNECTING, 1000, true,  none,         HOLD",
            // forwarding: reads follow the upstream's writability
            "PROXYING,   5000, false, writable,     READ",
            "PROXYING,    999, false, head-pending, READ",
            "PROXYING,   1000, false, head-pending, HOLD",
            "PROXYING,      0, false, unwritable,   UPSTREAM_FULL",
            // the whole body is in: a head's worth of pipelined bytes, and notice a client that leaves
            "PROXYING,     99, true,  unwritable,   READ",
            "PROXYING,    100, true,  writable,     HOLD",
            // no request on hand, or none any more
            "READ_HEAD,     0, true,  none,         HOLD",
            "CLOSING,       0, true,  none,         HOLD",
            "UPGRADED,      0, true,  none,         HOLD",
    })
    void readsOnlyWhatTheStateAndTheOtherSideCanTake(FrontState state, int buffered, boolean received, String up,
                                                     Verdict expected) {
        assertThat(policy.decide(state, buffered, received, upstream(up))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}, body received {1}, awaiting 100 Continue {2}: runs {3}")
    @CsvSource({
            "READ,          false, false, true",
            "READ,          true,  false, false",
            "READ,          false, true,  false",
            "HOLD,          false, false, false",
            "UPSTREAM_FULL, false, false, false",
    })
    void theBodyReadClockRunsOnlyWhileTheProxyReadsForTheBody(Verdict verdict, boolean received, boolean awaitingContinue,
                                                              boolean runs) {
        assertThat(ReadPolicy.bodyClockRuns(verdict, received, awaitingContinue)).isEqualTo(runs);
    }
}
