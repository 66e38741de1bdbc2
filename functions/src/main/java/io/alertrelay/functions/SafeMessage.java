package io.alertrelay.functions;

import io.alertrelay.settings.SettingsException;

/** What a function may log of a failure: a settings message names a setting and never holds its value. */
final class SafeMessage {

    private SafeMessage() {
    }

    static String of(RuntimeException e) {
        // Other exceptions' messages may carry a connection string or a URL with a key: only their type is logged.
        return e instanceof SettingsException ? e.getMessage() : e.getClass().getName();
    }
}
