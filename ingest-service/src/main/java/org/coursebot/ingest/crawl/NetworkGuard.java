package org.coursebot.ingest.crawl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Decides, by resolved address and before any connection, whether the crawler may talk to a host (SSRF guard).
 * Without allow-private-network it refuses loopback, private (RFC 1918), carrier-grade NAT, link-local,
 * unique-local IPv6, unspecified and multicast addresses. Cloud metadata endpoints are refused always: no course
 * site lives there, and reaching one from a server leaks its credentials.
 */
final class NetworkGuard {

    private final boolean allowPrivate;
    private final Set<InetAddress> exempt;

    /**
     * @param exempt addresses treated as public; tests only, so a server on loopback can stand in for a public
     *               site while every other private address stays refused
     */
    NetworkGuard(boolean allowPrivate, Set<InetAddress> exempt) {
        this.allowPrivate = allowPrivate;
        this.exempt = Set.copyOf(exempt);
    }

    /** Resolves a host and returns the address to connect to; blocking (DNS), so callers run it on a worker. */
    InetAddress resolve(String host) throws UnknownHostException, RefusedAddressException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = InetAddress.getAllByName(bare);
        for (InetAddress address : all) {
            String reason = refusal(address);
            if (reason != null) {
                throw new RefusedAddressException(host + " resolves to " + address.getHostAddress() + ", " + reason);
            }
        }
        return all[0];
    }

    /** Why an address is refused, or null when it may be fetched. */
    String refusal(InetAddress address) {
        if (isMetadata(address)) {
            return "a cloud metadata address (always refused)";
        }
        if (allowPrivate || exempt.contains(address)) {
            return null;
        }
        String kind = privateKind(address);
        return kind == null ? null : "a " + kind + " address (allow-private-network is false)";
    }

    /** The kind of non-public address, or null for a public one. */
    static String privateKind(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            if (first == 0 || first >= 240 || first == 100 && second >= 64 && second < 128) {
                return first == 100 ? "carrier-grade NAT" : "reserved";
            }
            return null;
        }
        if (a instanceof Inet6Address && (b[0] & 0xFE) == 0xFC) {
            return "unique-local";
        }
        return null;
    }

    private static boolean isMetadata(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int x = b[0] & 0xFF;
            int y = b[1] & 0xFF;
            int z = b[2] & 0xFF;
            int w = b[3] & 0xFF;
            // AWS/GCP/Azure/OpenStack 169.254.169.254, Alibaba 100.100.100.200
            return x == 169 && y == 254 && z == 169 && w == 254 || x == 100 && y == 100 && z == 100 && w == 200;
        }
        // AWS IPv6 IMDS fd00:ec2::254
        return b.length == 16 && (b[0] & 0xFF) == 0xFD && b[1] == 0 && (b[2] & 0xFF) == 0x0E && (b[3] & 0xFF) == 0xC2
                && b[15] == 0x54 && b[14] == 0x02 && allZero(b, 4, 14);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The host resolves to an address the guard refuses. */
    static final class RefusedAddressException extends Exception {
        RefusedAddressException(String message) {
            super(message, null, false, false);
        }
    }
}
