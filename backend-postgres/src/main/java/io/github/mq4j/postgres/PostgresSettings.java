package io.github.mq4j.postgres;

import io.github.mq4j.ConfigSource;
import io.github.mq4j.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL backend's settings, read from configuration variables. Immutable; its
 * {@link #toString()} never shows the password nor the query parameters of the URL.
 *
 * @param jdbcUrl the JDBC URL ({@code jdbc:postgresql://…}), or {@code null} when the application
 *     hands in its own {@code DataSource}
 * @param user the user, or {@code null} for the one in the URL or the driver's default
 * @param password the password, or {@code null}
 * @param schema the schema of the queue tables. Defaults to {@code mq4j}
 * @param poolSize the size of the pool the backend owns. Defaults to 10
 * @param autoMigrate whether the backend creates and upgrades its schema at start. Defaults to true
 * @param durableAcks whether receives, deletes and visibility changes wait for the disk at
 *     commit. Defaults to false: they commit asynchronously, and after a database crash the last
 *     fraction of a second of them may be undone, so those messages are delivered again
 *     (at-least-once). Sends always wait for the disk
 */
public record PostgresSettings(
        @Nullable String jdbcUrl,
        @Nullable String user,
        @Nullable String password,
        String schema,
        int poolSize,
        boolean autoMigrate,
        boolean durableAcks) {

    /** The connection URL: a JDBC URL or {@code postgres://user:pass@host:port/db}. */
    public static final String URL = "MESSAGE_QUEUE_POSTGRES_URL";
    /** The URL used when {@link #URL} is not set. */
    public static final String DATABASE_URL = "DATABASE_URL";
    /** The user; overrides one in the URL. */
    public static final String USER = "MESSAGE_QUEUE_POSTGRES_USER";
    /** The password; overrides one in the URL. */
    public static final String PASSWORD = "MESSAGE_QUEUE_POSTGRES_PASSWORD";
    /** The schema of the queue tables. Defaults to {@code mq4j}. */
    public static final String SCHEMA = "MESSAGE_QUEUE_POSTGRES_SCHEMA";
    /** The size of the connection pool the backend owns. Defaults to 10. */
    public static final String POOL_SIZE = "MESSAGE_QUEUE_POSTGRES_POOL_SIZE";
    /** {@code false} to leave schema changes to the operator. Defaults to {@code true}. */
    public static final String AUTO_MIGRATE = "MESSAGE_QUEUE_POSTGRES_AUTO_MIGRATE";

    /** {@code true} to make receives, deletes and visibility changes wait for the disk. Defaults to {@code false}. */
    public static final String DURABLE_ACKS = "MESSAGE_QUEUE_POSTGRES_DURABLE_ACKS";

    /** The schema when none is configured. */
    public static final String DEFAULT_SCHEMA = "mq4j";
    /** The pool size when none is configured. */
    public static final int DEFAULT_POOL_SIZE = 10;

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,49}");
    /** A JDBC URL whose authority holds {@code user:password@}, which pgjdbc would take for a host name. */
    private static final Pattern JDBC_USER_INFO = Pattern.compile("jdbc:postgresql://[^/?#]*@.*");

    public PostgresSettings {
        checkSchema(schema);
        if (poolSize < 1 || poolSize > 1000) {
            throw new ConfigurationException(POOL_SIZE + " is " + poolSize + "; it must be 1 to 1000");
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigurationException("the PostgreSQL URL must start with jdbc:postgresql: or postgres://");
        }
        if (jdbcUrl != null && JDBC_USER_INFO.matcher(jdbcUrl).matches()) {
            // the URL is not repeated: it holds the password
            throw new ConfigurationException("the PostgreSQL URL is a jdbc:postgresql: URL with user:password@ before the host,"
                    + " which JDBC does not read; use postgres://user:password@host:port/database or " + USER + " and "
                    + PASSWORD);
        }
    }

    /**
     * Returns {@code schema} if it is a valid schema name for the queue tables: 1 to 50 characters
     * of {@code [a-z0-9_]}, not starting with a digit nor with {@code pg_} (which PostgreSQL keeps
     * for itself). Every schema name that reaches SQL has passed this check.
     *
     * @throws ConfigurationException naming the rule otherwise
     */
    public static String checkSchema(@Nullable String schema) {
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new ConfigurationException("schema name " + (schema == null ? "null" : "'" + schema + "'") + " (" + SCHEMA
                    + ") is not valid; it must be 1 to 50 characters of [a-z0-9_], not starting with a digit nor with pg_");
        }
        return schema;
    }

    /**
     * Reads the settings. The URL is required unless {@code haveDataSource}.
     *
     * @throws ConfigurationException naming every missing or malformed variable, without their values
     */
    public static PostgresSettings fromConfig(ConfigSource config, boolean haveDataSource) {
        List<String> missing = new ArrayList<>();
        Optional<String> rawUrl = config.get(URL).or(() -> config.get(DATABASE_URL));
        if (rawUrl.isEmpty() && !haveDataSource) {
            missing.add(URL + " (or " + DATABASE_URL + ")");
        }
        if (!missing.isEmpty()) {
            throw ConfigurationException.missing("MESSAGE_QUEUE_TYPE=postgres", missing);
        }
        String jdbcUrl = null;
        String user = config.get(USER).orElse(null);
        String password = config.raw(PASSWORD) == null || config.raw(PASSWORD).isEmpty() ? null : config.raw(PASSWORD);
        if (rawUrl.isPresent() && !haveDataSource) {
            String url = rawUrl.get();
            String variable = config.get(URL).isPresent() ? URL : DATABASE_URL;
            if (url.startsWith("jdbc:postgresql:")) {
                jdbcUrl = url;
            } else if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
                ParsedUrl parsed = parse(variable, url);
                jdbcUrl = parsed.jdbcUrl();
                if (user == null) {
                    user = parsed.user();
                }
                if (password == null) {
                    password = parsed.password();
                }
            } else {
                throw new ConfigurationException(variable + " must start with jdbc:postgresql: or postgres://");
            }
            // user and password leave the URL, which the driver logs (at FINE) and errors may repeat
            ParsedUrl credentialsOut = withoutCredentials(jdbcUrl);
            jdbcUrl = credentialsOut.jdbcUrl();
            if (user == null) {
                user = credentialsOut.user();
            }
            if (password == null) {
                password = credentialsOut.password();
            }
        }
        String schema = config.get(SCHEMA).orElse(DEFAULT_SCHEMA);
        int poolSize = DEFAULT_POOL_SIZE;
        Optional<String> rawPool = config.get(POOL_SIZE);
        if (rawPool.isPresent()) {
            try {
                poolSize = Integer.parseInt(rawPool.get());
            } catch (NumberFormatException e) {
                throw new ConfigurationException(POOL_SIZE + " is '" + rawPool.get() + "'; it must be a whole number from 1 to 1000");
            }
        }
        boolean autoMigrate = bool(config, AUTO_MIGRATE, true);
        boolean durableAcks = bool(config, DURABLE_ACKS, false);
        return new PostgresSettings(jdbcUrl, user, password, schema, poolSize, autoMigrate, durableAcks);
    }

    private static boolean bool(ConfigSource config, String variable, boolean defaultValue) {
        Optional<String> raw = config.get(variable);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigurationException(variable + " is '" + raw.get() + "'; it must be true or false");
        };
    }

    private record ParsedUrl(String jdbcUrl, @Nullable String user, @Nullable String password) {}

    private static ParsedUrl parse(String variable, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // the message of e would repeat the URL, with its password
            throw new ConfigurationException(variable + " is not a valid postgres:// URL (postgres://user:password@host:port/database)");
        }
        if (uri.getHost() == null) {
            throw new ConfigurationException(variable + " has no host; expected postgres://user:password@host:port/database");
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
        if (uri.getPort() != -1) {
            jdbc.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        jdbc.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        return new ParsedUrl(jdbc.toString(), user, password);
    }

    /** The JDBC URL without its {@code user} and {@code password} parameters, and their values. */
    private static ParsedUrl withoutCredentials(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return new ParsedUrl(jdbcUrl, null, null);
        }
        String user = null;
        String password = null;
        StringBuilder rest = new StringBuilder();
        for (String parameter : jdbcUrl.substring(q + 1).split("&")) {
            int eq = parameter.indexOf('=');
            String name = eq < 0 ? parameter : parameter.substring(0, eq);
            String value = eq < 0 ? "" : decode(parameter.substring(eq + 1));
            if (name.equals("user")) {
                user = value;
            } else if (name.equals("password")) {
                password = value;
            } else if (!parameter.isEmpty()) {
                rest.append(rest.length() == 0 ? "" : "&").append(parameter);
            }
        }
        String base = jdbcUrl.substring(0, q);
        return new ParsedUrl(rest.length() == 0 ? base : base + "?" + rest, user, password);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // the decoder's message would repeat the text, which may be the password
            throw new ConfigurationException("the PostgreSQL URL has a malformed %-escape in its user, password or a parameter");
        }
    }

    /** The URL without its query parameters (which may carry a password), for logs. */
    public String safeUrl() {
        if (jdbcUrl == null) {
            return "(application DataSource)";
        }
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }

    /** The settings without the password and without the URL's query parameters. */
    @Override
    public String toString() {
        return "PostgresSettings[url=" + safeUrl() + ", user=" + user + ", password=" + (password == null ? "(none)" : "****")
                + ", schema=" + schema + ", poolSize=" + poolSize + ", autoMigrate=" + autoMigrate + ", durableAcks=" + durableAcks + "]";
    }
}
