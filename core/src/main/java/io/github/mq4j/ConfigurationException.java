package io.github.mq4j;

import java.util.List;

/**
 * The configuration cannot make a working client: an unknown {@code MESSAGE_QUEUE_TYPE}, a
 * backend whose module is not on the classpath, missing or malformed variables. The message
 * says what to change; missing variables are all named at once. Secrets never appear in it.
 */
public class ConfigurationException extends MessageQueueException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The error for settings that are required but absent.
     *
     * @param what what needs them, e.g. {@code "MESSAGE_QUEUE_TYPE=sqs"}
     * @param missing every missing variable name
     */
    public static ConfigurationException missing(String what, List<String> missing) {
        return new ConfigurationException(what + " needs " + (missing.size() == 1 ? "this variable, which is" : "these variables, which are")
                + " not set: " + String.join(", ", missing));
    }
}
