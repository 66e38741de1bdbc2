package io.alertrelay.functions;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.util.Map;

/**
 * The Microsoft Entra credential of the adapters that reach Azure with an identity (Service Bus, Cosmos DB, Logs
 * Ingestion). On Azure Functions it is the app's managed identity, and nothing else: DefaultAzureCredential "simplifies
 * authentication while developing apps ... In production, it's better to use something else"
 * (https://learn.microsoft.com/java/api/com.azure.identity.defaultazurecredential). App Service and Functions set
 * IDENTITY_ENDPOINT for the managed identity ("REST endpoint reference",
 * https://learn.microsoft.com/azure/app-service/overview-managed-identity#rest-endpoint-reference). Anywhere else
 * (a developer's machine running the local runtime against real Azure) it is DefaultAzureCredential: az login,
 * environment variables, IDE sign-ins.
 *
 * <p>The deployment package leaves out what only the developer credentials use (JNA, the MSAL token-cache
 * extension): see functions/pom.xml.
 */
public final class AppCredential {

    private AppCredential() {
    }

    /** A new credential for this process's environment. */
    public static TokenCredential get() {
        return forEnvironment(System.getenv());
    }

    static TokenCredential forEnvironment(Map<String, String> env) {
        if (isManagedIdentityHost(env)) {
            return new ManagedIdentityCredentialBuilder().build();
        }
        return new DefaultAzureCredentialBuilder().build();
    }

    static boolean isManagedIdentityHost(Map<String, String> env) {
        String endpoint = env.get("IDENTITY_ENDPOINT");
        return endpoint != null && !endpoint.isBlank();
    }
}
