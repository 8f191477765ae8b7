package io.github.mq4j.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultProxyTest {
    private ServerSocket echoServer;
    private final ExecutorService echoes = Executors.newCachedThreadPool();
    private FaultProxy proxy;

    /** An echo server: writes back every byte it reads, until the client goes. */
    @BeforeEach
    void startEchoServer() throws IOException {
        echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoes.execute(() -> {
            while (!echoServer.isClosed()) {
                try {
                    Socket s = echoServer.accept();
                    echoes.execute(() -> echo(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = FaultProxy.start(echoServer.getInetAddress().getHostAddress(), echoServer.getLocalPort());
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the client went
        }
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echoServer.close();
        echoes.shutdownNow();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(proxy.host(), proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        byte[] back = new byte[bytes.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void passesBytesBothWays() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            String big = "x".repeat(200_000);
            assertThat(roundTrip(s, big)).isEqualTo(big);
        }
        assertThat(proxy.accepted()).isEqualTo(1);
    }

    @Test
    void cutAll_resetsOpenConnections_andNewOnesWork() throws IOException {
        Socket a = connect();
        Socket b = connect();
        assertThat(roundTrip(a, "a")).isEqualTo("a");
        assertThat(roundTrip(b, "b")).isEqualTo("b");
        await(() -> proxy.openConnections() == 2, "two open connections");

        assertThat(proxy.cutAll()).isEqualTo(2);

        for (Socket s : new Socket[] {a, b}) {
            assertThatThrownBy(() -> {
                // a reset shows as an exception or an end of stream, on the read or on a write after it
                for (int i = 0; i < 100; i++) {
                    s.getOutputStream().write('x');
                    if (s.getInputStream().read() < 0) {
                        throw new IOException("end of stream");
                    }
                }
            }).isInstanceOf(IOException.class);
            s.close();
        }
        assertThat(proxy.cut()).isEqualTo(2);
        assertThat(proxy.openConnections()).isZero();
        try (Socket c = connect()) {
            assertThat(roundTrip(c, "again")).isEqualTo("again");
        }
    }

    @Test
    void refuse_refusesNewConnections_keepsOpenOnes_andPassReopensTheSamePort() throws IOException {
        int port = proxy.port();
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "before")).isEqualTo("before");

            proxy.refuse();
            assertThat(proxy.refusing()).isTrue();
            assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
            assertThat(roundTrip(open, "still open")).isEqualTo("still open");

            proxy.pass();
            assertThat(proxy.refusing()).isFalse();
            assertThat(proxy.port()).isEqualTo(port);
            try (Socket again = connect()) {
                assertThat(roundTrip(again, "after")).isEqualTo("after");
            }
        }
    }

    @Test
    void refuseForADuration_passesAgainByItself() throws IOException {
        proxy.refuse(Duration.ofMillis(300));
        assertThat(proxy.refusing()).isTrue();
        await(() -> !proxy.refusing(), "the proxy to pass again");
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "back")).isEqualTo("back");
        }
    }

    @Test
    void passBeforeTheDurationEnds_isNotUndoneByIt() throws Exception {
        proxy.refuse(Duration.ofMillis(200));
        proxy.pass();
        proxy.refuse();
        // the pass scheduled by the first refusal must not end the second one
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
        while (System.nanoTime() - until < 0) {
            assertThat(proxy.refusing()).isTrue();
            Thread.sleep(20);
        }
        proxy.pass();
    }

    @Test
    void cutRepeatedly_cutsTheConnectionsOpenAtEachCut() throws Exception {
        Socket s = connect();
        assertThat(roundTrip(s, "x")).isEqualTo("x");
        await(() -> proxy.openConnections() == 1, "the connection to be open");
        proxy.cutRepeatedly(Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(20));
        assertThat(proxy.cut()).isEqualTo(1);
        assertThat(proxy.openConnections()).isZero();
        s.close();
        assertThatThrownBy(() -> proxy.cutRepeatedly(Duration.ZERO, Duration.ofMillis(2), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outage_refusesAndCutsForItsDuration_thenPasses() throws Exception {
        Socket s = connect();
        assertThat(roundTrip(s, "x")).isEqualTo("x");
        await(() -> proxy.openConnections() == 1, "the connection to be open");
        Thread outage = new Thread(() -> {
            try {
                proxy.outage(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        outage.start();
        await(proxy::refusing, "the outage to start");
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        outage.join();
        assertThat(proxy.cut()).isEqualTo(1);
        assertThat(proxy.refusing()).isFalse();
        s.close();
        try (Socket again = connect()) {
            assertThat(roundTrip(again, "back")).isEqualTo("back");
        }
    }

    @Test
    void latency_holdsEachChunkAtLeastThatLong() throws IOException {
        proxy.latency(Duration.ofMillis(200));
        try (Socket s = connect()) {
            long t0 = System.nanoTime();
            assertThat(roundTrip(s, "slow")).isEqualTo("slow");
            // a lower bound only: held once on the way there and once on the way back
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
        proxy.latency(Duration.ZERO);
        assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void close_closesEverything_andIsHarmlessTwice() throws IOException {
        Socket s = connect();
        assertThat(roundTrip(s, "x")).isEqualTo("x");
        proxy.close();
        proxy.close();
        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        s.close();
        assertThatThrownBy(proxy::pass).isInstanceOf(IllegalStateException.class);
    }
}
