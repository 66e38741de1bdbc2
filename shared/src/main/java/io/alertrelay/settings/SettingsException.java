package io.alertrelay.settings;

/** A setting is missing or malformed. The message names the setting and never holds its value. */
public class SettingsException extends RuntimeException {

    public SettingsException(String message) {
        super(message);
    }
}
