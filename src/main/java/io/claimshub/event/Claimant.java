package io.claimshub.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The person claiming; {@code phone} is E.164 (+ then 8 to 15 digits). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Claimant(String name, String email, String phone) {
}
