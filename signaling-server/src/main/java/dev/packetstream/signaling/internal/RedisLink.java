package dev.packetstream.signaling.internal;

import dev.packetstream.signaling.ErrorCode;
import dev.packetstream.signaling.SignalingServerException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * One server's connections to Redis: a pool for scripts, one connection that publishes (batched,
 * in order), and one that listens on this server's channel and reconnects when it is lost.
 *
 * <h2>Threads</h2>
 * Owns two threads, {@code signaling-server-redis-publish} and {@code -subscribe}, stopped by
 * {@link #close()}. {@link #publish} and {@link #eval} from any thread; messages published by one
 * thread reach their channel in call order. The listener runs on the subscribe thread, one message
 * at a time, in the order Redis published them.
 *
 * <h2>Up and down</h2>
 * {@link #up()} is true while the subscription is open and the last command succeeded. While it
 * is down, {@link #publish} refuses (the caller counts the message as
 * {@link ErrorCode#CLUSTER_UNAVAILABLE}); the subscription retries with back-off (100 ms doubling
 * to 2 s) and calls {@code onResubscribed} once it is open again.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    private static final int TIMEOUT_MS = 2_000;
    private static final int QUEUE = 65_536;
    private static final int BATCH = 1_024;

    private final URI uri;
    private final HostAndPort address;
    private final JedisClientConfig commandConfig;
    private final JedisClientConfig subscribeConfig;
    private final String channel;
    private final Counters counters;
    private final Consumer<String> listener;
    private final Runnable onResubscribed;
    private final BlockingQueue<String[]> outgoing = new ArrayBlockingQueue<>(QUEUE);
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private JedisPooled commands;
    private Thread publisher;
    private Thread subscriber;
    private volatile JedisPubSub subscription;
    private volatile boolean subscribed;
    private volatile boolean commandsOk = true;
    private volatile boolean closed;

    RedisLink(URI uri, String node, Counters counters, Consumer<String> listener, Runnable onResubscribed) {
        if (!JedisURIHelper.isValid(uri) || !JedisURIHelper.isRedisScheme(uri)) {
            throw new IllegalArgumentException("Redis address \"" + uri + "\" is not redis://host:port[/db]"
                    + " (e.g. redis://127.0.0.1:6379)");
        }
        this.uri = uri;
        this.address = JedisURIHelper.getHostAndPort(uri);
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri)).password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri)).clientName("packetstream-" + node)
                .connectionTimeoutMillis(TIMEOUT_MS);
        this.commandConfig = config.socketTimeoutMillis(TIMEOUT_MS).build();
        this.subscribeConfig = config.socketTimeoutMillis(0).build(); // waits for messages without end
        this.channel = "ps:to:" + node;
        this.counters = counters;
        this.listener = listener;
        this.onResubscribed = onResubscribed;
    }

    /**
     * Connects and subscribes.
     *
     * @throws SignalingServerException naming the address when Redis cannot be reached
     */
    void start() {
        commands = new JedisPooled(address, commandConfig);
        try {
            commands.ping();
        } catch (JedisException e) {
            commands.close();
            throw new SignalingServerException("Redis at " + uri + " cannot be reached (" + e.getMessage()
                    + "): start Redis there, or give the right address (--redis / SignalingServer.Builder.redis)", e);
        }
        subscriber = new Thread(this::subscribeLoop, "signaling-server-redis-subscribe");
        publisher = new Thread(this::publishLoop, "signaling-server-redis-publish");
        subscriber.start();
        publisher.start();
        try {
            if (!firstSubscription.await(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                close();
                throw new SignalingServerException("Redis at " + uri + " answered but did not confirm the subscription to "
                        + channel + " within " + TIMEOUT_MS + " ms: check that it is a Redis server", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new SignalingServerException("interrupted while subscribing to Redis at " + uri, e);
        }
    }

    boolean up() {
        return subscribed && commandsOk;
    }

    boolean subscribed() {
        return subscribed;
    }

    URI uri() {
        return uri;
    }

    /** Runs a script (no keys declared: one Redis, not a cluster); marks the link down if it fails. */
    Object eval(String script, List<String> args) {
        try {
            Object result = commands.eval(script, List.of(), args);
            commandsOk = true;
            return result;
        } catch (JedisException e) {
            commandsOk = false;
            throw e;
        }
    }

    /** Queues a message for a server's channel; false (not queued) while down or when the queue is full. */
    boolean publish(String node, String message) {
        return up() && outgoing.offer(new String[] {"ps:to:" + node, message});
    }

    private void publishLoop() {
        List<String[]> batch = new ArrayList<>(BATCH);
        Jedis jedis = null;
        try {
            while (!closed || !outgoing.isEmpty()) {
                String[] first = outgoing.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outgoing.drainTo(batch, BATCH - 1);
                try {
                    if (jedis == null) {
                        jedis = new Jedis(address, commandConfig);
                    }
                    Pipeline pipeline = jedis.pipelined();
                    for (String[] message : batch) {
                        pipeline.publish(message[0], message[1]);
                    }
                    pipeline.sync();
                } catch (JedisException e) {
                    commandsOk = false;
                    for (int i = 0; i < batch.size(); i++) {
                        counters.rejected(ErrorCode.CLUSTER_UNAVAILABLE);
                    }
                    LOG.debug("publishing {} messages to Redis failed", batch.size(), e);
                    jedis = closeQuietly(jedis);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(jedis);
        }
    }

    private void subscribeLoop() {
        long backoffMs = 100;
        boolean first = true;
        while (!closed) {
            try (Jedis jedis = new Jedis(address, subscribeConfig)) {
                boolean resubscribe = !first;
                JedisPubSub pubsub = new JedisPubSub() {
                    @Override
                    public void onSubscribe(String ch, int count) {
                        subscribed = true;
                        firstSubscription.countDown();
                        if (resubscribe) {
                            LOG.info("subscribed to Redis at {} again", uri);
                            onResubscribed.run();
                        }
                    }

                    @Override
                    public void onMessage(String ch, String message) {
                        try {
                            listener.accept(message);
                        } catch (RuntimeException e) {
                            LOG.error("failed to handle a message from another server: {}", message, e);
                        }
                    }
                };
                subscription = pubsub;
                first = false;
                backoffMs = 100;
                jedis.subscribe(pubsub, channel);
            } catch (JedisException e) {
                if (!closed && backoffMs == 100) {
                    LOG.warn("lost the subscription to Redis at {} ({}): retrying", uri, e.getMessage());
                } else {
                    LOG.debug("subscribing to Redis at {} failed again: {}", uri, e.getMessage());
                }
            } finally {
                subscribed = false;
                subscription = null;
            }
            try {
                if (stopping.await(backoffMs, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            backoffMs = Math.min(2_000, backoffMs * 2);
        }
    }

    /** Stops both threads (what is queued is still published, for up to 2 s) and closes the pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping.countDown();
        JedisPubSub pubsub = subscription;
        if (pubsub != null) {
            try {
                pubsub.unsubscribe();
            } catch (RuntimeException e) {
                LOG.debug("unsubscribing failed; the connection is closed anyway", e);
            }
        }
        join(publisher);
        if (subscriber != null && subscriber.isAlive()) {
            subscriber.interrupt();
        }
        join(subscriber);
        if (commands != null) {
            commands.close();
        }
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(TIMEOUT_MS + 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} did not stop within {} ms", thread.getName(), TIMEOUT_MS + 500);
        }
    }

    private static Jedis closeQuietly(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
        return null;
    }
}
