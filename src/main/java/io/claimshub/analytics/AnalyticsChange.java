package io.claimshub.analytics;

/**
 * One change to an analytics record: add {@code amount} to a counter field ({@link Op#INCREMENT}), set a sorted-set
 * member's score ({@link Op#SCORE}), or add to a member's score ({@link Op#ADD_TO_SCORE}). Whole numbers except
 * scores of processing times (seconds, to the millisecond).
 */
public record AnalyticsChange(Op op, AnalyticsKey key, String member, String amount) {

    public enum Op {
        INCREMENT("H"), SCORE("Z"), ADD_TO_SCORE("I");

        private final String code;

        Op(String code) {
            this.code = code;
        }

        /** The letter the apply script knows the operation by. */
        public String code() {
            return code;
        }
    }
}
