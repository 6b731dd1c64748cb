package dev.wakegate.lifecycle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ColdStartsTest {

    @Test
    void nothingIsExpectedBeforeTheFirstStart() {
        assertThat(new ColdStarts().expectedMillis()).isZero();
    }

    @Test
    void expectsTheMedianSoOneSlowStartDoesNotSetIt() {
        ColdStarts s = new ColdStarts();
        s.record(2000);
        assertThat(s.expectedMillis()).isEqualTo(2000);
        s.record(30_000); // a cold disk, once
        assertThat(s.expectedMillis()).isEqualTo(16_000); // two: the mean of both
        s.record(2200);
        assertThat(s.expectedMillis()).isEqualTo(2200);
    }

    @Test
    void keepsOnlyTheLastFive() {
        ColdStarts s = new ColdStarts();
        for (int i = 0; i < ColdStarts.KEPT; i++) {
            s.record(10_000);
        }
        for (int i = 0; i < 3; i++) {
            s.record(1000); // the image got faster: three of the last five
        }
        assertThat(s.expectedMillis()).isEqualTo(1000);
    }
}
