package io.claimshub.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimshub.event.EventJson;
import io.claimshub.testsupport.TestHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File mode: approvals become bank files at the cut-offs (here every second), each payment in exactly one file even
 * with two instances, duplicate deliveries and a restart; the bank's confirmation file completes the right claims,
 * and a malformed line is reported by its number while the others are applied.
 */
@Tag("redis")
class PaymentFileTest {

    @TempDir
    Path dir;
    private PaymentHub payments;
    private Path outbox;
    private Path inbox;

    @BeforeEach
    void start() {
        payments = new PaymentHub(dir)
                .with("hub.payment.cutoff-interval", "1000")
                .with("hub.payment.cutoff-check-interval", "200")
                .with("hub.payment.inbox-poll-delay", "200")
                .with("hub.payment.originator-id", "INSURER-TEST-01");
        outbox = dir.resolve("payments/outbox");
        inbox = dir.resolve("payments/inbox");
    }

    @AfterEach
    void stop() {
        payments.close();
    }

    /** A detail record of a bank file, read back by the documented positions. */
    record Detail(String file, String paymentId, String claimId, String currency, long minorUnits, int decimals,
                  String payee, String policy) {
    }

    @Test
    void eachPaymentIsInExactlyOneBankFileAcrossTwoInstancesDuplicatesAndARestart() throws Exception {
        TestHub first = payments.startInstance();
        payments.startInstance();
        List<String> claims = new ArrayList<>();
        String[] amounts = {"1400.00", "250.50", "999.99"};
        for (String amount : amounts) {
            claims.add(payments.approvedClaim(amount));
        }
        for (String claim : claims) {
            payments.feedApproval(claim);
            payments.feedApproval(claim);
        }
        Map<String, String> paymentIds = new HashMap<>();
        for (String claim : claims) {
            paymentIds.put(claim, payments.paymentId(claim));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> details().stream().map(Detail::paymentId).toList()
                .containsAll(paymentIds.values()));

        // a restart of one instance, and every approval delivered once more: no payment goes into a second file
        first.close();
        payments.hubs.remove(first);
        payments.startInstance();
        for (String claim : claims) {
            payments.feedApproval(claim);
        }
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                details().size() == claims.size());

        List<Detail> details = details();
        for (int i = 0; i < claims.size(); i++) {
            String claim = claims.get(i);
            List<Detail> mine = details.stream().filter(d -> d.claimId().equals(claim)).toList();
            assertThat(mine).as("records of %s", claim).hasSize(1);
            Detail d = mine.get(0);
            assertThat(d.paymentId()).isEqualTo(paymentIds.get(claim));
            assertThat(d.currency()).isEqualTo("EUR");
            assertThat(d.decimals()).isEqualTo(2);
            assertThat(d.minorUnits()).isEqualTo(new java.math.BigDecimal(amounts[i]).movePointRight(2).longValueExact());
            assertThat(d.payee()).isEqualTo("Ada O'Brien");
            assertThat(d.policy()).isEqualTo("POL-778899");
            assertThat(payments.events(claim, "claim.payment.initiated")).hasSize(1);
        }
        // every file: header, details, trailer with count and control sum; fixed record length; no temp file left
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path file : files.toList()) {
                assertThat(file.getFileName().toString()).matches("payments-\\d{8}T\\d{9}Z\\.txt");
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                assertThat(lines).allSatisfy(l -> assertThat(l).hasSize(PaymentFiles.RECORD_LENGTH));
                String header = lines.get(0);
                assertThat(header.charAt(0)).isEqualTo('H');
                assertThat(header.substring(1, 25).strip()).isEqualTo(file.getFileName().toString()
                        .replace("payments-", "").replace(".txt", ""));
                assertThat(header.substring(25, 60).strip()).isEqualTo("INSURER-TEST-01");
                assertThat(header.substring(60, 80).strip()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
                String trailer = lines.get(lines.size() - 1);
                assertThat(trailer.charAt(0)).isEqualTo('T');
                List<Detail> inFile = details.stream().filter(d -> d.file().equals(file.getFileName().toString())).toList();
                assertThat(Integer.parseInt(trailer.substring(1, 9))).isEqualTo(inFile.size()).isEqualTo(lines.size() - 2);
                assertThat(Long.parseLong(trailer.substring(9, 27)))
                        .isEqualTo(inFile.stream().mapToLong(Detail::minorUnits).sum());
            }
        }
    }

    @Test
    void aConfirmationFileCompletesTheRightClaimsAndReportsAMalformedLine() throws Exception {
        payments.startInstance();
        List<String> claims = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            claims.add(payments.approvedClaim("700.00"));
        }
        claims.forEach(payments::feedApproval);
        List<String> ids = new ArrayList<>();
        for (String claim : claims) {
            ids.add(payments.paymentId(claim));
        }
        Files.createDirectories(inbox);
        String csv = PaymentConfirmations.HEADER + "\n"
                + ids.get(0) + ",completed,2026-03-05T10:00:00Z,BANK-REF-A\n"
                + ids.get(2) + ",completed,yesterday,BANK-REF-C\n"
                + ids.get(1) + ",completed,2026-03-05T10:05:00Z,BANK-REF-B\n"
                + "CLM-NOTAPAY,completed,2026-03-05T10:05:00Z,BANK-REF-X\n";
        Path confirmation = inbox.resolve("camt-20260305.csv");
        Files.writeString(confirmation, csv, StandardCharsets.UTF_8);

        await().atMost(Duration.ofSeconds(30)).until(() ->
                Files.exists(inbox.resolve("done/camt-20260305.csv"))
                && Files.exists(inbox.resolve("errors/camt-20260305.csv.errors.jsonl")));
        assertThat(payments.claim(claims.get(0)).path("status").asText()).isEqualTo("paid");
        assertThat(payments.claim(claims.get(1)).path("status").asText()).isEqualTo("paid");
        assertThat(payments.claim(claims.get(2)).path("status").asText()).isEqualTo("payment_initiated");
        assertThat(payments.events(claims.get(0), "claim.payment.completed").get(0).path("data").path("reference")
                .asText()).isEqualTo("BANK-REF-A");
        List<JsonNode> errors = Files.readAllLines(inbox.resolve("errors/camt-20260305.csv.errors.jsonl")).stream()
                .map(l -> EventJson.parse(l, "error")).toList();
        assertThat(errors).extracting(e -> e.path("line").asInt()).containsExactly(3, 5);
        assertThat(errors.get(0).path("reason").asText()).contains("paidAt");
        assertThat(errors.get(1).path("reason").asText()).contains("not a payment id");

        // the same confirmations read again (re-sent under another name): every payment still completed once
        Files.writeString(inbox.resolve("camt-20260305-resent.csv"), csv, StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(inbox.resolve("done/camt-20260305-resent.csv")));
        for (String claim : claims.subList(0, 2)) {
            assertThat(payments.events(claim, "claim.payment.completed")).hasSize(1);
        }
    }

    private List<Detail> details() throws IOException {
        List<Detail> details = new ArrayList<>();
        if (!Files.isDirectory(outbox)) {
            return details;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".txt")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.startsWith("D")) {
                        details.add(new Detail(file.getFileName().toString(), line.substring(1, 36).strip(),
                                line.substring(36, 48).strip(), line.substring(48, 51),
                                Long.parseLong(line.substring(51, 66)), line.charAt(66) - '0',
                                line.substring(67, 137).strip(), line.substring(137, 157).strip()));
                    }
                }
            }
        }
        return details;
    }
}
