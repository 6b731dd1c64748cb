package dev.wakegate.relay;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;

/**
 * Netty's epoll {@link IoHandler} with one fault of Netty 4.2.18 (and 4.2.20) worked around: when a
 * channel's interest set becomes empty, its registration removes the descriptor from epoll
 * ({@code EPOLL_CTL_DEL}) yet goes on as registered, so the next interest it submits is an
 * {@code EPOLL_CTL_MOD} of a descriptor epoll no longer has, which fails with ENOENT. The set
 * becomes empty on a half-closed connection (its input shut down, so no read interest and no
 * RDHUP) with nothing left to write; the next write that cannot finish at once then fails, and
 * Netty shuts the output down with the unwritten bytes lost. A TCP listener's client that
 * half-closed before its answer got a truncated answer with a clean end of stream.
 *
 * <p>Here an empty set is submitted as {@code EPOLLET} alone: the descriptor stays in epoll,
 * waiting for nothing but the hang-ups and errors epoll always reports, once each (edge-triggered,
 * so a hung-up descriptor does not wake the loop again and again, which is why Netty stopped
 * submitting an empty set as it was). Everything else is Netty's handler, unchanged.
 */
final class PatchedEpollIoHandler implements IoHandler {
    private final IoHandler epoll;

    private PatchedEpollIoHandler(IoHandler epoll) {
        this.epoll = epoll;
    }

    static IoHandlerFactory newFactory() {
        IoHandlerFactory netty = EpollIoHandler.newFactory();
        return new IoHandlerFactory() {
            @Override
            public IoHandler newHandler(io.netty.util.concurrent.ThreadAwareExecutor executor) {
                return new PatchedEpollIoHandler(netty.newHandler(executor));
            }

            @Override
            public boolean isChangingThreadSupported() {
                return netty.isChangingThreadSupported();
            }
        };
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new NeverEmpty(epoll.register(handle));
    }

    @Override
    public void initialize() {
        epoll.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return epoll.run(context);
    }

    @Override
    public void prepareToDestroy() {
        epoll.prepareToDestroy();
    }

    @Override
    public void destroy() {
        epoll.destroy();
    }

    @Override
    public void wakeup() {
        epoll.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return epoll.isCompatible(handleType);
    }

    /** A registration that submits an empty interest set as {@code EPOLLET} alone. */
    private record NeverEmpty(IoRegistration netty) implements IoRegistration {
        @Override
        public long submit(IoOps ops) {
            boolean empty = ops instanceof EpollIoOps e && e.value() == EpollIoOps.NONE.value();
            return netty.submit(empty ? EpollIoOps.EPOLLET : ops);
        }

        @Override
        public <T> T attachment() {
            return netty.attachment();
        }

        @Override
        public boolean isValid() {
            return netty.isValid();
        }

        @Override
        public boolean cancel() {
            return netty.cancel();
        }
    }
}
