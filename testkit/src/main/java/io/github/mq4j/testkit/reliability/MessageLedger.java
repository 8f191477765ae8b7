package io.github.mq4j.testkit.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Accounts for every message of a reliability scenario: which were sent, which were handled, how
 * often, and whether any group was handled out of order or any message by two handlers at once.
 *
 * <p>Each message's identity travels in its body ({@link #newBody(String)}), so a ledger needs
 * nothing from the backend. A send the library confirmed is {@link #sent(String) sent}; a send
 * that failed is {@link #uncertain(String) uncertain}, as it may or may not have been stored (a
 * connection cut after the server committed), so it counts neither as lost nor as a duplicate.
 * Handlers call {@link #begin(String)} when they start and {@link #end(String)} when they finish.
 * A send that never happened (its transaction rolled back) is recorded as neither: a message of the
 * run that is handled without having been sent or uncertain is reported as {@code neverSent}.
 *
 * <p>Order is checked per message group on first handlings: a message handled for the first time
 * after a later message of its group was already handled is a violation. Handling a message again
 * (a redelivery after a failure, which at-least-once allows) is a duplicate, not a violation.
 * A message of a group that starts while another message of the same group is still running is a
 * group overlap: a FIFO queue delivers a group's next message only after the previous one is done.
 * Thread-safe.
 */
public final class MessageLedger {
    private static final String PREFIX = "mq4j-ledger";
    private static final String NO_GROUP = "-";

    private final String run;
    private final AtomicLong nextId = new AtomicLong();
    private final Map<String, AtomicLong> nextSeq = new HashMap<>();
    private final Set<String> sent = new HashSet<>();
    private final Set<String> uncertain = new HashSet<>();
    private final Map<String, Integer> handled = new HashMap<>();
    private final Map<String, Long> highestFirstHandled = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private final Map<String, String> runningInGroup = new HashMap<>();
    private final List<String> groupOverlaps = new ArrayList<>();
    private final List<String> orderViolations = new ArrayList<>();
    private final List<String> concurrentHandlings = new ArrayList<>();
    private final List<String> foreign = new ArrayList<>();

    /** A ledger whose bodies carry {@code run}, so that messages of other runs are told apart. */
    public MessageLedger(String run) {
        if (run.isEmpty() || run.contains(":")) {
            throw new IllegalArgumentException("run must be non-empty and contain no ':': " + run);
        }
        this.run = run;
    }

    /**
     * The body of a new message; {@code group} is its message group (FIFO) or {@code null}. The
     * body's sequence number within the group follows the order of calls for that group.
     */
    public String newBody(@Nullable String group) {
        String g = group == null ? NO_GROUP : group;
        if (g.contains(":")) {
            throw new IllegalArgumentException("group must contain no ':': " + g);
        }
        long seq;
        synchronized (this) {
            seq = nextSeq.computeIfAbsent(g, k -> new AtomicLong()).getAndIncrement();
        }
        return PREFIX + ":" + run + ":" + nextId.getAndIncrement() + ":" + g + ":" + seq;
    }

    /** The library confirmed the send of {@code body}. */
    public synchronized void sent(String body) {
        Id id = parse(body);
        if (id != null) {
            sent.add(id.key());
            uncertain.remove(id.key());
        }
    }

    /** The send of {@code body} failed: it may or may not have been stored. */
    public synchronized void uncertain(String body) {
        Id id = parse(body);
        if (id != null && !sent.contains(id.key())) {
            uncertain.add(id.key());
        }
    }

    /**
     * A handler starts on {@code body}; returns whether this is the message's first handling. A
     * body that is not of this run is recorded as foreign.
     */
    public synchronized boolean begin(String body) {
        Id id = parse(body);
        if (id == null) {
            foreign.add(body.length() > 80 ? body.substring(0, 80) + "..." : body);
            return false;
        }
        int now = running.merge(id.key(), 1, Integer::sum);
        if (now > 1) {
            concurrentHandlings.add(id.key());
        }
        if (!id.group().equals(NO_GROUP)) {
            String other = runningInGroup.putIfAbsent(id.group(), id.key());
            if (other != null && !other.equals(id.key())) {
                groupOverlaps.add("group " + id.group() + ": message " + id.key() + " started while " + other + " was running");
            }
        }
        int times = handled.merge(id.key(), 1, Integer::sum);
        if (times == 1 && !id.group().equals(NO_GROUP)) {
            Long highest = highestFirstHandled.get(id.group());
            if (highest != null && highest > id.seq()) {
                orderViolations.add("group " + id.group() + ": message " + id.seq() + " first handled after " + highest);
            } else {
                highestFirstHandled.put(id.group(), id.seq());
            }
        }
        return times == 1;
    }

    /** The handler of {@code body} finished (returned or threw). */
    public synchronized void end(String body) {
        Id id = parse(body);
        if (id != null) {
            if (running.computeIfPresent(id.key(), (k, n) -> n == 1 ? null : n - 1) == null) {
                runningInGroup.remove(id.group(), id.key());
            }
        }
    }

    /** {@link #begin(String)} and {@link #end(String)} at once, for handlers that cannot fail midway. */
    public boolean handled(String body) {
        boolean first = begin(body);
        end(body);
        return first;
    }

    /** How many times {@code body}'s message has been handled (begun) so far; 0 for a body of another run. */
    public synchronized int handlings(String body) {
        Id id = parse(body);
        return id == null ? 0 : handled.getOrDefault(id.key(), 0);
    }

    /** Number of confirmed sends. */
    public synchronized int sentCount() {
        return sent.size();
    }

    /** Number of distinct messages handled at least once. */
    public synchronized int handledCount() {
        return handled.size();
    }

    /** Whether every confirmed send has been handled at least once. */
    public synchronized boolean allSentHandled() {
        return handled.keySet().containsAll(sent);
    }

    /** The accounts so far. */
    public synchronized Report report() {
        List<String> lost = new ArrayList<>();
        for (String key : sent) {
            if (!handled.containsKey(key)) {
                lost.add(key);
            }
        }
        int duplicates = 0;
        for (int times : handled.values()) {
            duplicates += times - 1;
        }
        int uncertainHandled = 0;
        for (String key : uncertain) {
            if (handled.containsKey(key)) {
                uncertainHandled++;
            }
        }
        List<String> neverSent = new ArrayList<>();
        for (String key : handled.keySet()) {
            if (!sent.contains(key) && !uncertain.contains(key)) {
                neverSent.add(key);
            }
        }
        return new Report(sent.size(), uncertain.size(), uncertainHandled, handled.size(), duplicates,
                List.copyOf(lost), List.copyOf(orderViolations), List.copyOf(concurrentHandlings), List.copyOf(foreign),
                List.copyOf(neverSent), List.copyOf(groupOverlaps));
    }

    /**
     * A ledger's accounts. {@code lost} are confirmed sends never handled; {@code duplicates}
     * counts handlings beyond each message's first; {@code neverSent} are messages of this run
     * handled although their send was never recorded (a rolled-back transactional send that
     * appeared); {@code groupOverlaps} are messages of a group started while another message of
     * the group was running.
     */
    public record Report(int sent, int uncertain, int uncertainHandled, int handled, int duplicates, List<String> lost,
            List<String> orderViolations, List<String> concurrentHandlings, List<String> foreign, List<String> neverSent,
            List<String> groupOverlaps) {

        /**
         * Whether nothing was lost, no order broke, nothing ran twice at once (neither one message
         * nor two of a group), and nothing foreign or never sent came.
         */
        public boolean clean() {
            return lost.isEmpty() && orderViolations.isEmpty() && concurrentHandlings.isEmpty() && foreign.isEmpty()
                    && neverSent.isEmpty() && groupOverlaps.isEmpty();
        }

        @Override
        public String toString() {
            return "sent " + sent + " (+" + uncertain + " uncertain, " + uncertainHandled + " of them handled), handled "
                    + handled + ", duplicates " + duplicates + ", lost " + lost.size() + ", order violations "
                    + orderViolations.size() + ", concurrent handlings " + concurrentHandlings.size() + ", group overlaps "
                    + groupOverlaps.size() + ", never sent " + neverSent.size() + ", foreign " + foreign.size()
                    + (clean() ? "" : "; first problems: " + first(lost) + first(orderViolations) + first(concurrentHandlings)
                            + first(groupOverlaps) + first(neverSent) + first(foreign));
        }

        private static String first(List<String> items) {
            return items.isEmpty() ? "" : items.subList(0, Math.min(5, items.size())) + " ";
        }
    }

    private record Id(String key, String group, long seq) {}

    private @Nullable Id parse(String body) {
        String[] parts = body.split(":", -1);
        if (parts.length != 5 || !parts[0].equals(PREFIX) || !parts[1].equals(run)) {
            return null;
        }
        try {
            return new Id(parts[2], parts[3], Long.parseLong(parts[4]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
