package io.github.mq4j.testkit.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on a loopback port in front of a server, which a test uses to hurt the connections
 * between a client and that server: point the client at {@link #host()}:{@link #port()} instead
 * of the server, then
 *
 * <ul>
 * <li>{@link #cutAll()} resets every open connection (both sides see a reset, as when a
 *     firewall or a load balancer drops them);
 * <li>{@link #refuse()} closes the port, so new connections are refused as by a server that is
 *     down, until {@link #pass()} opens it again on the same port ({@link #refuse(Duration)} does
 *     both); connections already open stay open unless cut;
 * <li>{@link #latency(Duration)} holds every chunk of data, in each direction, that long before
 *     passing it on (a chunk is what one read returned; chunks of one direction pass in order,
 *     one after another).
 * </ul>
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start("127.0.0.1", 5432)) {
 *     String url = "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/app";
 *     // ... open a client on url, run traffic ...
 *     proxy.cutRepeatedly(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(500));
 *     proxy.outage(Duration.ofSeconds(10));    // refuse() and cutAll(), ten seconds, pass()
 * }
 * }</pre>
 *
 * <p>Plain Java sockets, two daemon threads per connection. Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
    private static final int BUFFER_BYTES = 16 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(10);

    private final InetSocketAddress target;
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final int port;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong cut = new AtomicLong();
    private volatile long latencyNanos;

    // Guarded by this.
    private @Nullable ServerSocket listener;
    private @Nullable Thread acceptor;
    private long faultGeneration;
    private boolean closed;

    private FaultProxy(InetSocketAddress target) {
        this.target = target;
        ServerSocket first = bind(0);
        this.port = first.getLocalPort();
        synchronized (this) {
            listen(first);
        }
    }

    /**
     * Starts a proxy on a free loopback port in front of {@code host}:{@code port}, passing traffic.
     *
     * @throws UncheckedIOException if no port can be opened
     */
    public static FaultProxy start(String host, int port) {
        return new FaultProxy(new InetSocketAddress(host, port));
    }

    /** As {@link #start(String, int)}, in front of {@code target}. */
    public static FaultProxy start(InetSocketAddress target) {
        return new FaultProxy(target);
    }

    /** The host clients connect to instead of the server: the loopback address, as a literal. */
    public String host() {
        return loopback.getHostAddress();
    }

    /** The port clients connect to instead of the server's; it stays the same across {@link #refuse()} and {@link #pass()}. */
    public int port() {
        return port;
    }

    /** {@link #host()} and {@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(host(), port);
    }

    /** The server behind the proxy. */
    public InetSocketAddress target() {
        return target;
    }

    /** Holds each chunk of data that long before passing it on, in both directions, from now on; {@link Duration#ZERO} for none. */
    public void latency(Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + value);
        }
        latencyNanos = value.toNanos();
    }

    /** Resets every open connection, on both sides. Returns how many it cut. */
    public int cutAll() {
        int n = 0;
        for (Link link : links) {
            if (link.close(true)) {
                n++;
            }
        }
        cut.addAndGet(n);
        return n;
    }

    /** Closes the port: new connections are refused until {@link #pass()}. Open connections stay open. */
    public synchronized void refuse() {
        checkOpen();
        faultGeneration++;
        closeListener();
    }

    /**
     * {@link #refuse()} now and {@link #pass()} once {@code duration} has passed, unless the test
     * calls either meanwhile; returns at once.
     */
    public synchronized void refuse(Duration duration) {
        refuse();
        long generation = faultGeneration;
        Thread passer = new Thread(() -> {
            LockSupport.parkNanos(duration.toNanos());
            synchronized (FaultProxy.this) {
                if (!closed && faultGeneration == generation) {
                    pass();
                }
            }
        }, "fault-proxy-" + port + "-pass-later");
        passer.setDaemon(true);
        passer.start();
    }

    /** Accepts new connections again (on the same port). Harmless when not refusing. */
    public synchronized void pass() {
        checkOpen();
        faultGeneration++;
        if (listener == null) {
            listen(bind(port));
        }
    }

    /**
     * Cuts every open connection again and again for {@code duration}, waiting a random time
     * between {@code minGap} and {@code maxGap} before each cut; blocks meanwhile.
     */
    public void cutRepeatedly(Duration duration, Duration minGap, Duration maxGap) throws InterruptedException {
        if (minGap.isNegative() || maxGap.compareTo(minGap) < 0) {
            throw new IllegalArgumentException("gaps must satisfy 0 <= minGap <= maxGap: " + minGap + ", " + maxGap);
        }
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - until < 0) {
            TimeUnit.NANOSECONDS.sleep(ThreadLocalRandom.current().nextLong(minGap.toNanos(), maxGap.toNanos() + 1));
            cutAll();
        }
    }

    /**
     * The server unreachable for {@code duration}: new connections refused and open ones cut, then
     * {@link #pass()} again (also when interrupted); blocks meanwhile.
     */
    public void outage(Duration duration) throws InterruptedException {
        refuse();
        cutAll();
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } finally {
            pass();
        }
    }

    /** Whether new connections are refused now. */
    public synchronized boolean refusing() {
        return listener == null;
    }

    /** The connections accepted so far. */
    public long accepted() {
        return accepted.get();
    }

    /** The connections {@link #cutAll()} has cut so far. */
    public long cut() {
        return cut.get();
    }

    /** The connections open now. */
    public int openConnections() {
        return links.size();
    }

    /** Closes the port and every connection. Harmless when called again. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            faultGeneration++;
            closeListener();
        }
        for (Link link : links) {
            link.close(false);
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + host() + ":" + port + " -> " + target.getHostString() + ":" + target.getPort() + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private ServerSocket bind(int wanted) {
        long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
        while (true) {
            ServerSocket s = null;
            try {
                s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(loopback, wanted), 128);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                if (wanted == 0 || System.nanoTime() - deadline > 0) {
                    throw new UncheckedIOException("fault proxy: cannot open port " + wanted, e);
                }
                // the port may still be held for a moment after it was closed: try again
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** Starts accepting on {@code socket}; holds this. */
    private void listen(ServerSocket socket) {
        listener = socket;
        Thread t = new Thread(() -> accept(socket), "fault-proxy-" + port + "-accept");
        t.setDaemon(true);
        acceptor = t;
        t.start();
    }

    /**
     * Closes the port; holds this. Waits for the acceptor to leave {@code accept()}: a socket
     * closed while a thread is blocked in it is released by that thread, so until then the port
     * may still take connections.
     */
    private void closeListener() {
        ServerSocket s = listener;
        Thread t = acceptor;
        listener = null;
        acceptor = null;
        closeQuietly(s);
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // refuse() or close() closed the port
            }
            accepted.incrementAndGet();
            Thread opener = new Thread(() -> open(client), "fault-proxy-" + port + "-open");
            opener.setDaemon(true);
            opener.start();
        }
    }

    private void open(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(target, (int) CONNECT_TIMEOUT.toMillis());
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (IOException e) {
            reset(client);
            closeQuietly(server);
            return;
        }
        Link link = new Link(client, server);
        links.add(link);
        if (isClosed()) {
            link.close(false);
            return;
        }
        link.start();
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** One proxied connection: the client's socket, the server's, and a pump each way. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final AtomicBoolean done = new AtomicBoolean();

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            String name = "fault-proxy-" + port + "-" + client.getPort();
            Thread up = new Thread(() -> pump(client, server), name + "-up");
            Thread down = new Thread(() -> pump(server, client), name + "-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_BYTES];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    long hold = latencyNanos;
                    if (hold > 0) {
                        long until = System.nanoTime() + hold;
                        for (long left = hold; left > 0; left = until - System.nanoTime()) {
                            LockSupport.parkNanos(left);
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other pump closed the link, or a side broke it
            } finally {
                close(false);
            }
        }

        /** Closes both sockets, with a reset when {@code reset}; returns whether this call closed them. */
        boolean close(boolean reset) {
            if (done.getAndSet(true)) {
                return false;
            }
            links.remove(this);
            if (reset) {
                reset(client);
                reset(server);
            } else {
                closeQuietly(client);
                closeQuietly(server);
            }
            return true;
        }
    }

    /** Closes {@code socket} with a reset (SO_LINGER 0) rather than an orderly close. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(@Nullable AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // nothing to do about it
        }
    }
}
