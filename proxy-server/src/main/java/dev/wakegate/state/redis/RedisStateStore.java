package dev.wakegate.state.redis;

import dev.wakegate.async.Futures;
import dev.wakegate.state.ContainerRecord;
import dev.wakegate.state.ContainerRecordJson;
import dev.wakegate.state.InMemoryStateStore;
import dev.wakegate.state.StateStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link StateStore} shared by several wakegate instances through one Redis (see docs/redis.md
 * for the key layout). Lives in proxy-server; the lifecycle code only sees the interface.
 *
 * <p>Promises: {@link #connect} returns at once, even while Redis is down, and keeps trying in the
 * background. Every call is one Lettuce async command or one Lua script (one round trip per batch)
 * and never blocks the caller; while Redis is unreachable calls fail fast (commands are rejected
 * while disconnected, and any command times out after {@link #COMMAND_TIMEOUT}). Futures complete
 * on Lettuce's own threads, never on wakegate's event loops: callers hop back themselves.
 * Reconnection is Lettuce's; {@link #onAvailable} listeners hear about every return.
 */
public final class RedisStateStore implements StateStore {

    /**
     * The records' key, literal (no prefix) so {@code redis-cli hgetall container_states} works and
     * tools reading it find it where docs/redis.md says.
     */
    public static final String RECORDS_KEY = "container_states";
    public static final String DEFAULT_KEY_PREFIX = "wakegate:";
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** Usage-hash fields that are cordon acknowledgements; container names cannot start with '@'. */
    private static final String ACK_PREFIX = "@ack:";

    private static final Logger log = LoggerFactory.getLogger(RedisStateStore.class);
    private static final Delay RECONNECT_DELAY = Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS);

    private final RedisURI uri;
    private final String description;
    private final String accessKey;
    private final String leasePrefix;
    private final String usagePrefix;
    private final String membersKey;
    private final String cordonsKey;
    private final String leftKey;
    private final ClientResources resources;
    private final RedisClient client;
    private final Disposable eventSubscription;
    private final List<Runnable> availableListeners = new CopyOnWriteArrayList<>();
    private final Object availabilityLock = new Object();

    private volatile @Nullable StatefulRedisConnection<String, String> connection;
    private volatile boolean available;
    private volatile boolean closed;
    /** Last reported state, so each change is logged once; null before the first report. */
    private @Nullable Boolean reported;

    private RedisStateStore(RedisURI uri, String keyPrefix) {
        this.uri = uri;
        this.description = describe(uri);
        this.accessKey = keyPrefix + "last_access";
        this.leasePrefix = keyPrefix + "lease:";
        this.usagePrefix = keyPrefix + "usage:";
        this.membersKey = keyPrefix + "members";
        this.cordonsKey = keyPrefix + "cordons";
        this.leftKey = keyPrefix + "left";
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2) // Lettuce's minimum; one connection needs no more
                .computationThreadPoolSize(2)
                .reconnectDelay(RECONNECT_DELAY)
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).build())
                .build());
        // These resources serve this one connection, so every connection event is about it.
        this.eventSubscription = resources.eventBus().get().subscribe(event -> {
            // The first activation comes before connectAsync hands us the connection; that
            // completion reports it instead, so "available" never precedes a usable connection.
            if (event instanceof ConnectionActivatedEvent && connection != null) {
                markAvailable(true, null);
            } else if (event instanceof ConnectionDeactivatedEvent) {
                markAvailable(false, "connection lost");
            }
        });
    }

    /** Same as {@link #connect(String, String)} with the {@value #DEFAULT_KEY_PREFIX} prefix. */
    public static RedisStateStore connect(String redisUrl) {
        return connect(redisUrl, DEFAULT_KEY_PREFIX);
    }

    /**
     * Creates the store and starts connecting in the background; returns at once even if Redis is
     * down. {@code keyPrefix} (default {@value #DEFAULT_KEY_PREFIX}) prefixes every key except
     * {@value #RECORDS_KEY}.
     *
     * @throws IllegalArgumentException when {@code redisUrl} is not a Redis URI (a config error)
     */
    public static RedisStateStore connect(String redisUrl, String keyPrefix) {
        RedisURI uri;
        try {
            uri = RedisURI.create(Objects.requireNonNull(redisUrl, "redisUrl"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Redis URL: '" + redisUrl + "': " + e.getMessage(), e);
        }
        RedisStateStore store = new RedisStateStore(uri, keyPrefix == null ? DEFAULT_KEY_PREFIX : keyPrefix);
        store.connectInBackground(1);
        return store;
    }

    // Lettuce reconnects an established connection itself, but not a first connect that failed.
    private void connectInBackground(int attempt) {
        if (closed) {
            return;
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((conn, error) -> {
            if (error != null) {
                markAvailable(false, rootMessage(error));
                if (!closed) {
                    resources.eventExecutorGroup().schedule(() -> connectInBackground(attempt + 1),
                            RECONNECT_DELAY.createDelay(attempt).toMillis(), TimeUnit.MILLISECONDS);
                }
            } else if (closed) {
                conn.closeAsync();
            } else {
                connection = conn;
                markAvailable(conn.isOpen(), "connection lost");
            }
        });
    }

    private void markAvailable(boolean up, @Nullable String reason) {
        boolean cameBack;
        synchronized (availabilityLock) {
            available = up;
            if (reported != null && reported == up) {
                return;
            }
            reported = up;
            cameBack = up;
            if (up) {
                log.info("redis connected at {}", description);
            } else if (!closed) {
                log.warn("redis unreachable at {}: {} (serving from memory)", description, reason);
            }
        }
        if (cameBack) {
            for (Runnable listener : availableListeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("redis onAvailable listener failed", e);
                }
            }
        }
    }

    @Override
    public CompletableFuture<Map<String, ContainerRecord>> loadRecords() {
        return call(c -> c.hgetall(RECORDS_KEY), fields -> {
            Map<String, ContainerRecord> records = new HashMap<>();
            fields.forEach((name, json) -> {
                try {
                    records.put(name, ContainerRecordJson.read(json));
                } catch (IllegalArgumentException e) {
                    log.warn("ignoring {} field '{}' in redis at {}: {}", RECORDS_KEY, name, description, e.getMessage());
                }
            });
            return records;
        });
    }

    @Override
    public CompletableFuture<Void> saveRecords(Map<String, ContainerRecord> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return script(RedisScripts.SAVE_RECORDS, ScriptOutputType.INTEGER, new String[] {RECORDS_KEY, accessKey}, () -> {
            List<String> args = new ArrayList<>(records.size() * 2);
            records.forEach((name, record) -> {
                args.add(name);
                args.add(ContainerRecordJson.write(record));
            });
            return args;
        }).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Void> recordAccess(Map<String, Duration> ages) {
        if (ages.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return script(RedisScripts.RECORD_ACCESS, ScriptOutputType.INTEGER, new String[] {accessKey, RECORDS_KEY}, () -> {
            List<String> args = new ArrayList<>(ages.size() * 2);
            ages.forEach((name, age) -> {
                args.add(name);
                args.add(Long.toString(Math.max(0, age.toMillis())));
            });
            return args;
        }).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Map<String, Duration>> loadAccessAges() {
        return script(RedisScripts.LOAD_ACCESS_AGES, ScriptOutputType.MULTI, new String[] {accessKey}, List::of)
                .thenApply(result -> {
                    Map<String, Duration> ages = new HashMap<>();
                    List<?> flat = (List<?>) result;
                    for (int i = 0; i + 1 < flat.size(); i += 2) {
                        ages.put(String.valueOf(flat.get(i)), Duration.ofMillis(Long.parseLong(String.valueOf(flat.get(i + 1)))));
                    }
                    return ages;
                });
    }

    @Override
    public CompletableFuture<Boolean> tryAcquireLease(String name, String owner, Duration ttl) {
        return leaseScript(RedisScripts.ACQUIRE_LEASE, name, owner, ttl);
    }

    @Override
    public CompletableFuture<Boolean> renewLease(String name, String owner, Duration ttl) {
        return leaseScript(RedisScripts.RENEW_LEASE, name, owner, ttl);
    }

    private CompletableFuture<Boolean> leaseScript(LuaScript script, String name, String owner, Duration ttl) {
        return script(script, ScriptOutputType.INTEGER, new String[] {leasePrefix + name},
                () -> List.of(owner, Long.toString(Math.max(1, ttl.toMillis()))))
                .thenApply(result -> ((Long) result) == 1L);
    }

    @Override
    public CompletableFuture<Void> releaseLease(String name, String owner) {
        return script(RedisScripts.RELEASE_LEASE, ScriptOutputType.INTEGER, new String[] {leasePrefix + name}, () -> List.of(owner))
                .thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<List<Cordon>> heartbeat(String instanceId, Map<String, Integer> inUse,
                                                     Map<String, Integer> acks, Duration ttl) {
        return script(RedisScripts.HEARTBEAT, ScriptOutputType.MULTI,
                new String[] {usagePrefix + instanceId, membersKey, cordonsKey, leftKey}, () -> {
                    List<String> args = new ArrayList<>(2 + (inUse.size() + acks.size()) * 2);
                    args.add(instanceId);
                    args.add(Long.toString(Math.max(1, ttl.toMillis())));
                    inUse.forEach((name, count) -> {
                        args.add(name);
                        args.add(Integer.toString(count));
                    });
                    acks.forEach((id, count) -> {
                        args.add(ACK_PREFIX + id);
                        args.add(Integer.toString(count));
                    });
                    return args;
                }).thenApply(result -> {
                    List<?> flat = (List<?>) result;
                    List<Cordon> cordons = new ArrayList<>(flat.size() / 4);
                    for (int i = 0; i + 3 < flat.size(); i += 4) {
                        cordons.add(new Cordon(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)),
                                String.valueOf(flat.get(i + 2)),
                                Duration.ofMillis(Long.parseLong(String.valueOf(flat.get(i + 3))))));
                    }
                    return cordons;
                });
    }

    @Override
    public CompletableFuture<Map<String, Peer>> loadPeers(String excludingInstance) {
        return script(RedisScripts.LOAD_PEERS, ScriptOutputType.MULTI, new String[] {membersKey, leftKey},
                () -> List.of(excludingInstance == null ? "" : excludingInstance, usagePrefix,
                        Long.toString(InMemoryStateStore.LEFT_KEPT.toMillis())))
                .thenApply(result -> {
                    List<?> flat = (List<?>) result;
                    Map<String, Peer> peers = new HashMap<>();
                    for (int i = 0; i + 3 < flat.size(); i += 4) {
                        long code = (Long) flat.get(i + 2);
                        Presence presence = code == 2 ? Presence.LIVE : code == 1 ? Presence.SILENT : Presence.LEFT;
                        boolean live = presence == Presence.LIVE;
                        Map<String, Integer> usage = new HashMap<>();
                        Map<String, Integer> acks = new HashMap<>();
                        List<?> fields = (List<?>) flat.get(i + 3);
                        for (int j = 0; live && j + 1 < fields.size(); j += 2) {
                            String field = String.valueOf(fields.get(j));
                            String value = String.valueOf(fields.get(j + 1));
                            if (field.startsWith(ACK_PREFIX)) {
                                acks.put(field.substring(ACK_PREFIX.length()), Integer.parseInt(value));
                            } else if (!field.startsWith("@")) {
                                usage.put(field, Integer.parseInt(value));
                            }
                        }
                        peers.put(String.valueOf(flat.get(i)), new Peer(presence,
                                Duration.ofMillis(Long.parseLong(String.valueOf(flat.get(i + 1)))), usage, acks));
                    }
                    return peers;
                });
    }

    @Override
    public CompletableFuture<Void> leave(String instanceId) {
        return script(RedisScripts.LEAVE, ScriptOutputType.INTEGER,
                new String[] {membersKey, usagePrefix + instanceId, leftKey}, () -> List.of(instanceId))
                .thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Void> putCordons(Map<String, String> cordonIds, String owner, Duration ttl) {
        if (cordonIds.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return script(RedisScripts.PUT_CORDONS, ScriptOutputType.INTEGER, new String[] {cordonsKey}, () -> {
            List<String> args = new ArrayList<>(2 + cordonIds.size() * 2);
            args.add(owner);
            args.add(Long.toString(Math.max(1, ttl.toMillis())));
            cordonIds.forEach((container, id) -> {
                args.add(container);
                args.add(id);
            });
            return args;
        }).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Void> liftCordon(String container, String cordonId) {
        return script(RedisScripts.LIFT_CORDON, ScriptOutputType.INTEGER, new String[] {cordonsKey},
                () -> List.of(container, cordonId)).thenApply(ignored -> null);
    }

    @Override
    public boolean isShared() {
        return true;
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    /**
     * {@inheritDoc} A listener added after the store became available hears only later returns:
     * check {@link #isAvailable()} once after registering.
     */
    @Override
    public void onAvailable(Runnable listener) {
        availableListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String describe() {
        return description;
    }

    /** Closes the connection and Lettuce's threads; waits at most a few seconds. Not for an event loop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        eventSubscription.dispose();
        StatefulRedisConnection<String, String> conn = connection;
        if (conn != null) {
            conn.close();
        }
        // A quiet period lets a connect or reconnect that is under way finish tearing its channel
        // down (Lettuce releases its per-channel buffer on unregister) before the loops stop.
        client.shutdown(Duration.ofMillis(100), Duration.ofSeconds(2));
        resources.shutdown(100, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private interface Command<T> {
        CompletionStage<T> send(RedisAsyncCommands<String, String> commands);
    }

    private <T, R> CompletableFuture<R> call(Command<T> command, java.util.function.Function<T, R> decode) {
        StatefulRedisConnection<String, String> conn = connection;
        if (conn == null || closed) {
            return CompletableFuture.failedFuture(notConnected());
        }
        try {
            return command.send(conn.async()).toCompletableFuture().thenApply(decode);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** EVALSHA, and EVAL once when Redis does not know the script (its cache is lost on restart). */
    private CompletableFuture<Object> script(LuaScript script, ScriptOutputType type, String[] keys, Supplier<List<String>> args) {
        StatefulRedisConnection<String, String> conn = connection;
        if (conn == null || closed) {
            return CompletableFuture.failedFuture(notConnected());
        }
        try {
            RedisAsyncCommands<String, String> commands = conn.async();
            String[] values = args.get().toArray(String[]::new);
            CompletableFuture<Object> result = new CompletableFuture<>();
            commands.evalsha(script.sha(), type, keys, values).whenComplete((value, error) -> {
                if (error == null) {
                    result.complete(value);
                } else if (Futures.unwrap(error) instanceof RedisNoScriptException) {
                    commands.eval(script.body(), type, keys, values).whenComplete((v, e) -> {
                        if (e == null) {
                            result.complete(v);
                        } else {
                            result.completeExceptionally(e);
                        }
                    });
                } else {
                    result.completeExceptionally(error);
                }
            });
            return result;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private IllegalStateException notConnected() {
        return new IllegalStateException(closed ? "redis state store is closed" : "redis not connected at " + description);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    // Never the password: the description goes to logs and /health/automation.
    private static String describe(RedisURI uri) {
        if (uri.getHost() == null) {
            return "redis";
        }
        String scheme = uri.isSsl() ? "rediss" : "redis";
        String base = scheme + "://" + uri.getHost() + ":" + uri.getPort();
        return uri.getDatabase() == 0 ? base : base + "/" + uri.getDatabase();
    }
}
