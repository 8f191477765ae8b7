package io.github.mq4j.postgres;

import io.github.mq4j.ValidationException;
import java.util.Set;

/**
 * A receipt: the message's row, the receive it was handed out by, and the queue. A receipt is
 * current while the row is in that queue with that receive count; a later receive (or a move to
 * another queue, which gives the row a new number or a new queue) makes it stale.
 */
record Receipt(long id, int receiveCount, String queue) {
    private static final String PREFIX = "pg1:";

    String encode() {
        return PREFIX + id + ":" + receiveCount + ":" + queue;
    }

    /**
     * Parses a receipt handed out for {@code queue}; a ValidationException for field {@code receipt}
     * otherwise, which names the queue the receipt was handed out by if it is one of {@code queues}
     * (a made-up receipt's text is never repeated).
     */
    static Receipt parse(String queue, String receipt, Set<String> queues) {
        if (receipt.startsWith(PREFIX)) {
            String[] parts = receipt.substring(PREFIX.length()).split(":", 3);
            if (parts.length == 3) {
                try {
                    long id = Long.parseLong(parts[0]);
                    int count = Integer.parseInt(parts[1]);
                    if (!parts[2].equals(queue) && queues.contains(parts[2])) {
                        throw new ValidationException("receipt", queue, "receipt was handed out by queue '" + parts[2]
                                + "', not by queue '" + queue + "'");
                    }
                    if (id > 0 && count > 0 && parts[2].equals(queue)) {
                        return new Receipt(id, count, queue);
                    }
                } catch (NumberFormatException e) {
                    // fall through
                }
            }
        }
        throw new ValidationException("receipt", queue, "receipt was not handed out by the PostgreSQL backend for queue '"
                + queue + "'");
    }
}
