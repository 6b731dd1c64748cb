package dev.wakegate.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * Whether a channel's peer has taken any of the bytes queued for it since the last look: the
 * pending byte count, the message being written, or the progress within it changed (as Netty's
 * {@code IdleStateHandler} observes output). The "send" timeouts use it when they expire, so that
 * a peer that reads slowly but steadily is not taken for one that reads nothing: their clock
 * measures the time between two writes that made progress, as nginx's {@code send_timeout} and
 * {@code proxy_send_timeout} do. Event loop only; looked at only when a timer expires.
 */
final class WriteProgress {
    private long pendingBytes = -1;
    private int messageIdentity;
    private long messageProgress;

    /** Remembers where the channel's writes stand now. */
    void mark(Channel channel) {
        advanced(channel);
    }

    /** True when the writes moved since the last {@link #mark} or call; remembers where they stand now. */
    boolean advanced(Channel channel) {
        ChannelOutboundBuffer buf = channel.unsafe().outboundBuffer();
        if (buf == null) {
            return false; // closed: nothing moves any more
        }
        long pending = buf.totalPendingWriteBytes();
        int identity = System.identityHashCode(buf.current());
        long progress = buf.currentProgress();
        boolean moved = pending != pendingBytes || identity != messageIdentity || progress != messageProgress;
        pendingBytes = pending;
        messageIdentity = identity;
        messageProgress = progress;
        return moved;
    }
}
