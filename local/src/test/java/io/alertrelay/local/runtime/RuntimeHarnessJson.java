package io.alertrelay.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON text to a tree, unchecked, for assertions. */
final class RuntimeHarnessJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuntimeHarnessJson() {
    }

    static JsonNode row(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
