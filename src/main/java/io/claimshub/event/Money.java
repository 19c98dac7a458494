package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount in an ISO 4217 currency, kept exactly as written: {@code 100} and {@code 100.00} are different records
 * (the scale is part of the amount); compare values with {@code amount().compareTo(...)}.
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

    /**
     * The same amount written with the currency's minor-unit decimals ({@code 1500} EUR as {@code 1500.00}, JPY with
     * none); an amount with more decimals, or a currency without minor units, is kept as it is, never rounded.
     */
    public Money atCurrencyScale() {
        int decimals;
        try {
            decimals = Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException | NullPointerException e) {
            return this;
        }
        if (amount == null || decimals < 0) {
            return this;
        }
        try {
            return new Money(amount.setScale(decimals, RoundingMode.UNNECESSARY), currency);
        } catch (ArithmeticException e) {
            return this;
        }
    }

    @Override
    public String toString() {
        return amount.toPlainString() + " " + currency;
    }
}
