package io.claimshub.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's one Redis connection setting: {@code redis[s]://[user[:password]@]host[:port][/database]}, optionally
 * through Sentinel. Parsed once; nothing else in the hub reads Redis addresses.
 */
public record RedisConnectionSettings(String host, int port, String username, String password, int database,
                                      boolean ssl, String sentinelMaster, List<String> sentinelNodes,
                                      Duration timeout, int poolSize) {

    // the user info of a URL: an optional user before the first ':', the rest up to the last '@' before the host
    private static final Pattern USER_INFO = Pattern.compile("//(?:([^:@/]*):)?[^/]*@");

    public static RedisConnectionSettings parse(String url, String sentinelMaster, String sentinelNodes,
                                                Duration timeout, int poolSize) {
        URI uri = URI.create(url.trim());
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("hub.redis.url must start with redis:// or rediss:// (TLS), was: " + masked(url));
        }
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            if (parts.length == 2) {
                username = parts[0].isEmpty() ? null : decode(parts[0]);
                password = decode(parts[1]);
            } else {
                password = decode(parts[0]); // redis://secret@host: a password for the default user
            }
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("The database in hub.redis.url must be a number, was: " + path.substring(1));
            }
        }
        List<String> nodes = new ArrayList<>();
        if (sentinelNodes != null) {
            for (String node : sentinelNodes.split(",")) {
                if (!node.isBlank()) {
                    nodes.add(node.trim());
                }
            }
        }
        String master = sentinelMaster == null || sentinelMaster.isBlank() ? null : sentinelMaster.trim();
        if (master != null && nodes.isEmpty()) {
            throw new IllegalArgumentException("hub.redis.sentinel.master is set but hub.redis.sentinel.nodes is empty");
        }
        return new RedisConnectionSettings(uri.getHost() == null ? "127.0.0.1" : uri.getHost(),
                uri.getPort() < 0 ? 6379 : uri.getPort(), username, password, database, "rediss".equals(scheme),
                master, List.copyOf(nodes), timeout, poolSize);
    }

    public boolean usesSentinel() {
        return sentinelMaster != null;
    }

    /** For logs: the address without credentials. */
    public String describe() {
        String target = usesSentinel() ? "sentinel master " + sentinelMaster + " via " + sentinelNodes : host + ":" + port;
        return (ssl ? "rediss://" : "redis://") + target + "/" + database + (username != null ? " as " + username : "");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * For logs and messages: the URL with its password replaced by {@code ****}, the user kept
     * ({@code redis://user:****@host}, {@code redis://****@host} for a password alone).
     */
    public static String masked(String url) {
        if (url == null) {
            return null;
        }
        return USER_INFO.matcher(url).replaceAll(match -> Matcher.quoteReplacement(
                "//" + (match.group(1) != null ? match.group(1) + ":" : "") + "****@"));
    }
}
