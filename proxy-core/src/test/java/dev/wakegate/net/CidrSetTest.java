package dev.wakegate.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address parsing (checked against the JDK's) and CIDR matching, as tables. */
class CidrSetTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "255.255.255.255", "10.1.2.3", "::", "::1", "2001:db8::1",
            "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "1::", "::ffff:192.0.2.1", "2001:db8::192.0.2.33", "1:2:3:4:5:6:1.2.3.4",
            "::ffff:7f00:1", "ABCD:EF01::FFFF"})
    void parsesWhatTheJdkParsesToTheSameAddress(String text) throws Exception {
        IpAddress a = new IpAddress();
        assertThat(a.parse(text, 0, text.length())).isTrue();
        InetAddress jdk = InetAddress.getByName(text); // a literal: no lookup
        assertThat(a.toInetAddress()).isEqualTo(jdk);
        IpAddress fromJdk = new IpAddress();
        fromJdk.set(jdk);
        assertThat(fromJdk.toString()).isEqualTo(a.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1..2.3", "a.b.c.d",
            ":", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "1:2:3:4:5:6:7", ":1:2", "1:", "g::1",
            "::1.2.3", "1.2.3.4:80", "[::1]", "unknown", "1 .2.3.4"})
    void refusesWhatIsNoAddress(String text) {
        assertThat(new IpAddress().parse(text, 0, text.length())).as("'%s'", text).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8,       10.255.1.2,     true",
            "10.0.0.0/8,       11.0.0.1,       false",
            "192.168.1.10,     192.168.1.10,   true",
            "192.168.1.10,     192.168.1.11,   false",
            "0.0.0.0/0,        203.0.113.7,    true",
            "0.0.0.0/0,        2001:db8::1,    false",
            "127.0.0.0/8,      ::ffff:127.0.0.5, true",
            "2001:db8::/32,    2001:db8:ffff::1, true",
            "2001:db8::/32,    2001:db9::1,    false",
            "::/0,             10.0.0.1,       true",
            "fd00::/8,         fdff::1,        true",
            "fd00::/8,         fe00::1,        false",
            "203.0.113.0/25,   203.0.113.127,  true",
            "203.0.113.0/25,   203.0.113.128,  false",
    })
    void matchesByPrefix(String block, String address, boolean expected) {
        CidrSet set = CidrSet.parse(List.of(block));
        IpAddress a = new IpAddress();
        assertThat(a.parse(address, 0, address.length())).isTrue();
        assertThat(set.contains(a)).as("%s in %s", address, block).isEqualTo(expected);
    }

    @Test
    void knowsWhenABlockIsLoopback() {
        assertThat(CidrSet.parse(List.of("10.0.0.0/8")).coversLoopback()).isFalse();
        assertThat(CidrSet.parse(List.of("10.0.0.0/8", "127.0.0.1")).coversLoopback()).isTrue();
        assertThat(CidrSet.parse(List.of("::1")).coversLoopback()).isTrue();
        assertThat(CidrSet.parse(List.of("0.0.0.0/0")).coversLoopback()).isTrue();
    }

    @Test
    void refusesBitsBeyondThePrefixSayingWhatWasMeant() {
        assertThatThrownBy(() -> CidrSet.parse(List.of("10.1.0.0/8")))
                .hasMessageContaining("did you mean 10.0.0.0/8?");
    }
}
