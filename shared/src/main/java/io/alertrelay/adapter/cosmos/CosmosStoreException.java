package io.alertrelay.adapter.cosmos;

/**
 * Cosmos DB refused a request for a reason that retrying will not fix: the database or container does not exist,
 * the key or identity is not allowed (401/403), a document is malformed or too large (400/413). Unlike
 * {@link io.alertrelay.port.StoreUnavailableException} it means "fix the configuration or the data", not "try
 * again later". Its message names the operation, the status and the container, never a key.
 */
public class CosmosStoreException extends RuntimeException {

    public CosmosStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
