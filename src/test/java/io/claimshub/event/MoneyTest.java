package io.claimshub.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An amount shown with its currency's minor-unit decimals, never rounded. */
class MoneyTest {

    @ParameterizedTest
    @CsvSource({
        "1500,     EUR, 1500.00",
        "1500.5,   EUR, 1500.50",
        "1500.500, EUR, 1500.50",
        "1500.00,  JPY, 1500",
        "12.3,     BHD, 12.300",
        "1500.001, EUR, 1500.001",
        "1500.5,   XXX, 1500.5"})
    void anAmountIsWrittenWithItsCurrencysDecimalsAndNeverRounded(String amount, String currency, String shown) {
        assertThat(EventJson.write(Money.of(amount, currency).atCurrencyScale()))
                .isEqualTo("{\"amount\":" + shown + ",\"currency\":\"" + currency + "\"}");
    }
}
