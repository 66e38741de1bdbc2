package io.alertrelay.local.host;

/**
 * Settings for the JDK's HTTP server that the local runtime's servers need. It writes a response's headers and body
 * separately; with Nagle's algorithm on, the body then waits for the client's delayed ACK — about 40 ms per
 * request on Linux, which would dwarf everything the pipeline does. The server reads the property once, when the
 * first server of the JVM is made, so every server class calls this first.
 */
public final class LoopbackHttpServers {

    private LoopbackHttpServers() {
    }

    /** Turns on TCP_NODELAY for the JDK's HTTP servers, unless the JVM was started with a choice of its own. */
    public static void sendWithoutDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
}
