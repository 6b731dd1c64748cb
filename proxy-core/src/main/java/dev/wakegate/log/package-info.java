/**
 * How the data path reports what it did not expect (a reset connection, a failed handshake, bytes
 * that are neither TLS nor HTTP, a bug that reaches {@code exceptionCaught}): at debug, channel
 * first, and rate-limited so that a flood of bad connections cannot flood the log
 * ({@link dev.wakegate.log.ChannelLog}). Nothing here is on the path of a request that goes well.
 */
@NullMarked
package dev.wakegate.log;

import org.jspecify.annotations.NullMarked;
