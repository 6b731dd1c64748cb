package dev.wakegate.http1;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AsciiTest {

    @Test
    void wordTestFlagsExactlyTheWordsWithACtlOrDel() {
        Random random = new Random(42);
        byte[] bytes = new byte[8];
        for (int n = 0; n < 1_000_000; n++) {
            long w = 0;
            boolean expected = false;
            for (int i = 0; i < 8; i++) {
                // bias towards the edges of the classes
                int b = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(256);
                    case 1 -> 0x1E + random.nextInt(4);
                    case 2 -> 0x7D + random.nextInt(5);
                    default -> 0x20 + random.nextInt(0x5F);
                };
                bytes[i] = (byte) b;
                expected |= Ascii.isSpecial((byte) b);
                w |= (long) b << (8 * i);
            }
            assertThat(Ascii.hasSpecial(w)).as("word %016x", w).isEqualTo(expected);
        }
    }

    @Test
    void skipPlainStopsAtTheFirstSpecialByte() {
        byte[] a = HeadFixtures.bytes("abcdefghijklmnopqrstuvwxyz\u007f0123456789\r\n");
        assertThat(Ascii.skipPlain(a, 0, a.length)).isEqualTo(26);
        assertThat(Ascii.skipPlain(a, 27, a.length)).isEqualTo(37);
        assertThat(Ascii.skipPlain(a, 3, 20)).isEqualTo(20);
        for (int from = 0; from < 26; from++) {
            assertThat(Ascii.skipPlain(a, from, a.length)).isEqualTo(26);
        }
    }
}
