package io.alertrelay.local.cli;

import java.net.URI;

/** Nothing answers at the pipeline's address: the one thing to say is that, and how to start it. */
final class PipelineUnreachableException extends IllegalStateException {

    PipelineUnreachableException(URI base) {
        super("nothing listens at " + hostAndPort(base) + " (is ./alert-relay run running? or give its address"
                + " with --url)");
    }

    static String hostAndPort(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }
}
