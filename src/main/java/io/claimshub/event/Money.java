package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount in an ISO 4217 currency. Amounts are compared by value, so 100 and 100.00 are equal.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Money(BigDecimal amount, String currency) {

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    public boolean sameCurrencyAs(Money other) {
        return Objects.equals(currency, other.currency);
    }

    /** True when this amount is more than {@code other}; both must be in the same currency. */
    public boolean exceeds(Money other) {
        return amount.compareTo(other.amount) > 0;
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
