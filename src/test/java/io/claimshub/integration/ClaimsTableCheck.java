package io.claimshub.integration;

import io.claimshub.store.ClaimKeys;
import io.claimshub.testsupport.TestRedis;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamOffset;

/**
 * Compares the legacy database with Redis, independently of the sync's own mapping: each {@code claims} column against
 * the snapshot hash field of the same name in camelCase ({@code claim:{id}}), each {@code claim_events} row against
 * the claim stream's entry at its version.
 */
public final class ClaimsTableCheck {

    private ClaimsTableCheck() {
    }

    /** The differences, one line each; empty when the table equals the snapshots of {@code claimIds} exactly. */
    public static List<String> claimsDifferences(DataSource db, Collection<String> claimIds) throws SQLException {
        Map<String, Map<String, Object>> rows = rows(db, "SELECT * FROM claims", "claim_id");
        List<String> differences = new ArrayList<>();
        if (rows.size() != claimIds.size()) {
            differences.add("claims has " + rows.size() + " rows for " + claimIds.size() + " claims");
        }
        for (String claimId : claimIds) {
            Map<String, String> snapshot = new HashMap<>();
            TestRedis.template().opsForHash().entries(ClaimKeys.snapshot(claimId))
                    .forEach((k, v) -> snapshot.put(k.toString(), v.toString()));
            Map<String, Object> row = rows.get(claimId);
            if (row == null) {
                differences.add(claimId + ": no row");
                continue;
            }
            row.forEach((column, value) -> {
                String expected = snapshot.get(camel(column));
                if (!same(expected, value)) {
                    differences.add(claimId + "." + column + ": table " + value + ", snapshot " + expected);
                }
            });
        }
        return differences;
    }

    /** The differences between claim_events and the claims' streams; empty when there is one row per event. */
    public static List<String> eventDifferences(DataSource db, Collection<String> claimIds) throws SQLException {
        Map<String, Map<String, Object>> rows = rows(db, "SELECT claim_id || '/' || CAST(version AS VARCHAR(20)) AS k, "
                + "event_id, event_type, occurred_at FROM claim_events", "k");
        List<String> differences = new ArrayList<>();
        int events = 0;
        for (String claimId : claimIds) {
            List<MapRecord<String, Object, Object>> stream = TestRedis.template().opsForStream()
                    .read(StreamOffset.fromStart(ClaimKeys.claimStream(claimId)));
            for (int v = 1; v <= stream.size(); v++) {
                events++;
                Map<Object, Object> fields = stream.get(v - 1).getValue();
                Map<String, Object> row = rows.get(claimId + "/" + v);
                if (row == null) {
                    differences.add(claimId + "/" + v + ": no row");
                } else if (!fields.get("eventId").equals(row.get("event_id"))
                        || !fields.get("eventType").equals(row.get("event_type"))
                        || !same(fields.get("timestamp").toString(), row.get("occurred_at"))) {
                    differences.add(claimId + "/" + v + ": row " + row + ", stream " + fields);
                }
            }
        }
        if (rows.size() != events) {
            differences.add("claim_events has " + rows.size() + " rows for " + events + " events");
        }
        return differences;
    }

    public static long count(DataSource db, String table) throws SQLException {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Map<String, Map<String, Object>> rows(DataSource db, String query, String key) throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(query)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    String name = meta.getColumnLabel(c).toLowerCase(java.util.Locale.ROOT);
                    Object value = name.endsWith("_at") || name.equals("sla_deadline")
                            ? result.getObject(c, OffsetDateTime.class) : result.getObject(c);
                    row.put(name, value);
                }
                rows.put(String.valueOf(row.remove(key)), row);
            }
        }
        return rows;
    }

    private static java.time.Instant micros(String instant) {
        return java.time.Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private static String camel(String column) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static boolean same(String expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == null && actual == null;
        }
        // the table keeps microseconds, the snapshot what the hub's clock gave
        if (actual instanceof OffsetDateTime time) {
            return time.toInstant().equals(micros(expected));
        }
        if (actual instanceof Timestamp time) {
            return time.toInstant().equals(micros(expected));
        }
        if (actual instanceof BigDecimal number) {
            return number.compareTo(new BigDecimal(expected)) == 0;
        }
        if (actual instanceof Date date) {
            return date.toLocalDate().toString().equals(expected);
        }
        return actual.toString().equals(expected);
    }
}
