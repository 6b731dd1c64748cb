/**
 * Client addresses as the data path checks them: {@link dev.wakegate.net.IpAddress} (an IPv4 or
 * IPv6 address as two longs, parsed from text or taken from a socket address without allocating)
 * and {@link dev.wakegate.net.CidrSet} (a frozen list of CIDR blocks, {@code trusted_proxies} and a
 * route's {@code allow}/{@code deny}; matching allocates nothing).
 */
@NullMarked
package dev.wakegate.net;

import org.jspecify.annotations.NullMarked;
